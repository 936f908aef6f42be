/**
 * The UNKNOWN_CODE errors for an L1, L2 or code label the playbook lacks, shared by the status filters
 * (entitlements.ts), status changes (rules.ts) and the note coach's grading context (app/grade-labels.ts).
 * A module of its own, on lib alone, so that grading loads no query builder. `field` names where the
 * label was given; `valid` lists what it could have been.
 */
import { AppError } from '../lib/index.js';

/** An L1 no L1 of the playbook is named like. */
export function unknownL1Error(value: string, valid: readonly string[], field = 'l1'): AppError {
  return new AppError('UNKNOWN_CODE', `Unknown L1 "${value}". Valid L1s: ${valid.join(', ')}.`, { field, l1: value, valid: [...valid] });
}

/** An L2 no reason of the playbook is named like. */
export function unknownL2Error(value: string, valid: readonly string[], field = 'l2'): AppError {
  return new AppError('UNKNOWN_CODE', `Unknown L2 "${value}". Valid: ${valid.join('; ')}.`, { field, l2: value, valid: [...valid] });
}

/** A code id the playbook lacks. */
export function unknownCodeError(value: string, valid: readonly string[], field = 'code'): AppError {
  return new AppError('UNKNOWN_CODE', `Unknown code "${value}": codes are written like blocked/legal-regulatory. Valid codes: ${valid.join(', ')}.`, { field, code: value, valid: [...valid] });
}
