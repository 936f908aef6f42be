/**
 * The context a note is graded in, as POST /api/notes/grade and `unblock notes grade` read it: labels
 * resolved against the playbook (the workload is checked against the catalogue by each caller). A module of its own, on
 * the tracker's rules alone, so that the CLI's grader loads neither the HTTP layer nor the database drivers.
 */
import { AppError, normalizeLabel, slugify } from '../lib/index.js';
import { resolveLabel } from '../taxonomy/resolve-label.js';
import type { Taxonomy } from '../taxonomy/types.js';
import { unknownL1Error as unknownL1, unknownL2Error as unknownL2 } from '../tracker/label-errors.js';
import { resolveStatusCode } from '../tracker/rules.js';

const given = (label: string | null | undefined): string | undefined => (label === null || label === undefined || label.trim() === '' ? undefined : label);

/**
 * The grading context's L1 and L2 as the playbook names them, resolved as a status change resolves
 * them (resolveStatusCode): UNKNOWN_CODE for a label the playbook lacks, RULE_VIOLATION for an L2 of
 * another L1. An L1 alone needs no L2; an L2 alone goes through the taxonomy's label resolution and
 * must name one code. Neither given: no context.
 */
export function resolveGradeLabels(taxonomy: Taxonomy, l1Label: string | null | undefined, l2Label: string | null | undefined): { l1?: string; l2?: string | null } {
  const l1 = given(l1Label);
  const l2 = given(l2Label);
  if (l1 !== undefined && l2 !== undefined) {
    const code = resolveStatusCode(taxonomy, { l1, l2 });
    return { l1: code.l1, l2: code.l2 };
  }
  if (l1 !== undefined) {
    const node = taxonomy.l1s.find((n) => normalizeLabel(n.name) === normalizeLabel(l1) || n.id === slugify(l1));
    if (!node) throw unknownL1(l1, taxonomy.l1s.map((n) => n.name));
    return { l1: node.name };
  }
  if (l2 !== undefined) {
    const resolved = resolveLabel(taxonomy, l2);
    if (resolved.ok) return { l1: resolved.code.l1, l2: resolved.code.l2 };
    if (resolved.reason === 'ambiguous') {
      throw new AppError('UNKNOWN_CODE', `"${l2}" names several codes (${resolved.candidates.map((c) => c.id).join(', ')}); give its l1 too.`, { l2, candidates: resolved.candidates.map((c) => c.id) });
    }
    throw unknownL2(l2, [...new Set(taxonomy.codes.flatMap((c) => (c.l2 === null ? [] : [c.l2])))]);
  }
  return {};
}

