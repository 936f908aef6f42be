import { useState, type ReactNode } from 'react';
import { ApiError } from '../api/client.js';
import { BusyButton } from './busy-button.js';
import { focusWhenShown } from '../lib/focus.js';
import { CUSTOMER_TEXT_LIMITS } from '../lib/rules.js';

/** Text limits of the customer fields (the server's, checked against src/tracker/limits.ts by test/e2e/qa7-pages-lib.test.ts). */
export const CUSTOMER_LIMITS = CUSTOMER_TEXT_LIMITS;

/** The details of a customer a form edits (creating it, or changing it). */
export interface CustomerDetails {
  tenantId: string;
  name: string;
  managed: boolean;
  region: string;
}

export const EMPTY_DETAILS: CustomerDetails = { tenantId: '', name: '', managed: false, region: '' };

/** What is wrong with each field, by the field's name in the API (`tenantId`, `name`, `workloads`…). */
export type FieldProblems = Partial<Record<string, string>>;

/**
 * Splits a refused request into problems of the form's `fields` (shown under each) and what is left
 * for the form as a whole (`message`). The API names the field of a refusal in its details:
 * VALIDATION_FAILED lists `{where, path: '/tenantId', message}`, a taken tenant id
 * (409 CONFLICT) has `{field: 'tenantId'}`, an unknown workload (UNKNOWN_CODE) has `{unknown: [...]}`.
 */
export function readFieldProblems(error: unknown, fields: readonly string[], options: { conflictField?: string; unknownField?: string } = {}): { problems: FieldProblems; message?: string; holderId?: number } {
  if (!(error instanceof ApiError)) return { problems: {}, message: error instanceof Error ? error.message : String(error) };
  const problems: FieldProblems = {};
  const details = error.details;
  if (error.code === 'VALIDATION_FAILED') {
    const entries = Array.isArray(details) ? (details as { path?: unknown; message?: unknown }[]) : [];
    for (const entry of entries) {
      const field = typeof entry.path === 'string' ? entry.path.split('/')[1] : undefined;
      if (field && fields.includes(field) && typeof entry.message === 'string' && problems[field] === undefined) problems[field] = toSentence(entry.message);
    }
    // A check made after the schema (a tenant id with a space, an admin's customer without a partner)
    // words its one refusal itself, as a whole sentence ("The tenant id "a b" has a space ..."): that is
    // shown under the field, where the schema's own sentence would start with the API's name of it.
    const only = entries.length === 1 ? Object.keys(problems) : [];
    if (only.length === 1 && !isSchemaSentence(error.message, only[0]!)) problems[only[0]!] = error.message;
  } else if (error.status === 409) {
    const field = (details as { field?: unknown } | null | undefined)?.field;
    const target = typeof field === 'string' && fields.includes(field) ? field : options.conflictField;
    if (target) problems[target] = error.message;
    // A taken tenant id of a customer the user can see names it: the form links to it.
    const holder = (details as { customerId?: unknown } | null | undefined)?.customerId;
    if (target && typeof holder === 'number') return { problems, holderId: holder };
  } else if (error.code === 'UNKNOWN_CODE' && options.unknownField) {
    problems[options.unknownField] = error.message;
  }
  return Object.keys(problems).length > 0 ? { problems } : { problems, message: error.message };
}

/**
 * Whether `message` is the schema's sentence for `field`, which starts with the API's name of it
 * ("tenantId is 400 characters long; …", "workloads[0] must be text, …"), rather than words of its own.
 */
function isSchemaSentence(message: string, field: string): boolean {
  return message.startsWith(field) && !/^[\w$]/.test(message.slice(field.length));
}

/** "is required" as the sentence "Is required." under its field. */
function toSentence(text: string): string {
  const trimmed = text.trim();
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/**
 * "The name is 320 characters long; …: shorten it by 20." for a text longer than the server keeps, else
 * undefined. Said under the field rather than cut by `maxLength`: a pasted name would otherwise lose its
 * end without a word. Counted as sent, trimmed.
 */
export function tooLong(what: string, text: string, max: number): string | undefined {
  const length = text.trim().length;
  if (length <= max) return undefined;
  return `${what} is ${length.toLocaleString('en')} characters long; the server keeps at most ${max.toLocaleString('en')}: shorten it by ${(length - max).toLocaleString('en')}.`;
}

/** The checks made before sending: a tenant id and a name are needed, and no text may be longer than the server keeps. */
export function checkDetails(details: CustomerDetails): FieldProblems {
  const problems: FieldProblems = {};
  const tenantId = details.tenantId.trim() ? tooLong('The tenant id', details.tenantId, CUSTOMER_LIMITS.tenantId) : 'Type the tenant id (for example contoso.onmicrosoft.com).';
  const name = details.name.trim() ? tooLong('The name', details.name, CUSTOMER_LIMITS.name) : 'Type the customer’s name.';
  const region = tooLong('The region', details.region, CUSTOMER_LIMITS.region);
  if (tenantId) problems.tenantId = tenantId;
  if (name) problems.name = name;
  if (region) problems.region = region;
  return problems;
}

/** The id of a field's control in a form whose ids start with `prefix`. */
export function fieldId(prefix: string, field: string): string {
  return `${prefix}-${field}`;
}

/** Moves the focus to the first field (in `order`) that has a problem; true when there was one. */
export function focusFirstProblem(prefix: string, order: readonly string[], problems: FieldProblems): boolean {
  const first = order.find((f) => problems[f] !== undefined);
  if (first) focusWhenShown(fieldId(prefix, first));
  return first !== undefined;
}

/** `aria-invalid` and `aria-describedby` for a field's control: its problem (when it has one) and its hint. */
export function describedBy(prefix: string, field: string, problems: FieldProblems, hint?: string) {
  const ids = [hint, problems[field] !== undefined ? `${fieldId(prefix, field)}-problem` : undefined].filter(Boolean).join(' ');
  return { 'aria-invalid': problems[field] !== undefined ? true : undefined, 'aria-describedby': ids || undefined } as const;
}

/** A field's problem, under it (with `extra` after it: a link); its id is what the control's aria-describedby names. */
export function FieldProblem({ prefix, field, problems, extra }: { prefix: string; field: string; problems: FieldProblems; extra?: ReactNode }) {
  const message = problems[field];
  if (message === undefined) return null;
  return (
    <p id={`${fieldId(prefix, field)}-problem`} className="field-error">
      {message}
      {extra ? <> {extra}</> : null}
    </p>
  );
}

/** A labelled text box of a form whose ids start with `prefix`, with its hint and its problem under it. */
export function TextField({ prefix, field, label, hint, value, onChange, problems, disabled, spellCheck, problemExtra }: {
  prefix: string;
  field: string;
  label: string;
  hint?: ReactNode;
  /** Shown after the field's problem (a link to what it names). */
  problemExtra?: ReactNode;
  value: string;
  onChange: (value: string) => void;
  problems: FieldProblems;
  disabled?: boolean;
  spellCheck?: boolean;
}) {
  const id = fieldId(prefix, field);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} autoComplete="off" spellCheck={spellCheck} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} {...describedBy(prefix, field, problems, hint ? `${id}-hint` : undefined)} />
      {hint ? (
        <p id={`${id}-hint`} className="muted small">
          {hint}
        </p>
      ) : null}
      <FieldProblem prefix={prefix} field={field} problems={problems} extra={problemExtra} />
    </div>
  );
}

/** The order of the details fields in the form (the focus goes to the first with a problem). */
export const DETAILS_FIELDS = ['tenantId', 'name', 'managed', 'region'] as const;

/** Tenant id, name, managed and region: the fields the new-customer and edit-details forms share. */
export function CustomerDetailsFields({ prefix, value, onChange, problems, disabled, tenantHolderId }: {
  prefix: string;
  value: CustomerDetails;
  onChange: (value: CustomerDetails) => void;
  problems: FieldProblems;
  disabled?: boolean;
  /** The customer that has the tenant id typed (a 409 naming one the user can see): linked under the field. */
  tenantHolderId?: number | undefined;
}) {
  const set = <K extends keyof CustomerDetails>(key: K, v: CustomerDetails[K]) => onChange({ ...value, [key]: v });
  const holderLink = tenantHolderId !== undefined ? <a href={`#/customers/${tenantHolderId}`}>Open that customer</a> : undefined;
  return (
    <div className="customer-fields">
      <TextField prefix={prefix} field="tenantId" label="Tenant id" hint="Unique across all partners." spellCheck={false} value={value.tenantId} onChange={(v) => set('tenantId', v)} problems={problems} disabled={disabled} problemExtra={holderLink} />
      <TextField prefix={prefix} field="name" label="Name" value={value.name} onChange={(v) => set('name', v)} problems={problems} disabled={disabled} />
      <div className="field">
        <label className="check">
          <input id={fieldId(prefix, 'managed')} type="checkbox" checked={value.managed} disabled={disabled} onChange={(e) => set('managed', e.target.checked)} {...describedBy(prefix, 'managed', problems)} /> Managed customer
        </label>
        <FieldProblem prefix={prefix} field="managed" problems={problems} />
      </div>
      <TextField prefix={prefix} field="region" label="Region (optional)" value={value.region} onChange={(v) => set('region', v)} problems={problems} disabled={disabled} />
    </div>
  );
}

/**
 * A form's field problems and its refusal (what the server said that no field takes), with the focus
 * moves that go with them; `order` is the fields' order on screen.
 */
export function useFormProblems(prefix: string, order: readonly string[]) {
  const [problems, setProblems] = useState<FieldProblems>({});
  const [refusal, setRefusal] = useState<string>();
  const [holderId, setHolderId] = useState<number>();
  return {
    problems,
    refusal,
    /** The customer a refused tenant id belongs to, when the server named it. */
    holderId,
    /** Clears both (the form closes, or is sent again). */
    clear() {
      setProblems({});
      setRefusal(undefined);
      setHolderId(undefined);
    },
    /** Shows the problems found before sending; true when there are any (the focus is then on the first). */
    found(found: FieldProblems): boolean {
      setRefusal(undefined);
      setHolderId(undefined);
      setProblems(found);
      return focusFirstProblem(prefix, order, found);
    },
    /** Shows a refused request: under the fields its details name, else above the buttons. */
    refused(error: unknown, options?: { conflictField?: string; unknownField?: string }) {
      const read = readFieldProblems(error, order, options);
      setProblems(read.problems);
      setRefusal(read.message);
      setHolderId(read.holderId);
      focusFirstProblem(prefix, order, read.problems);
    },
  };
}

/** The end of a form: its refusal (when there is one), the submit button and `cancel`. */
export function FormEnd({ refusal, busy, label, busyLabel, cancel, danger, readOnly }: { refusal: string | undefined; busy: boolean; label: string; busyLabel: string; cancel: ReactNode; danger?: boolean; readOnly?: boolean }) {
  return (
    <>
      {refusal ? (
        <p className="state state-error" role="alert">
          {refusal}
        </p>
      ) : null}
      <div className="actions">
        {/* Read-only (the role may no longer save it): no submit button, only the way out. */}
        {readOnly ? null : (
          <BusyButton type="submit" className={danger ? 'danger' : 'primary'} busy={busy}>
            {busy ? busyLabel : label}
          </BusyButton>
        )}
        {cancel}
      </div>
    </>
  );
}
