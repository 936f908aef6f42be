import { useState } from 'react';
import type { StatusFields } from '../api/client.js';
import { joinWords } from '../../../src/lib/text.js';
import { useSession } from './session.js';
import { STATUS_FIELD_LABELS, STATUS_FIELD_ORDER } from './status-fields.js';

/**
 * True once the user's role stopped allowing what a form does while its page was open (a manager made
 * an editor a viewer; the app learnt it from a refused save or on returning to the tab), until the role
 * allows it again. Derived while rendering, so a form that turns read-only never renders a frame without
 * its values.
 */
export function useRoleLost(allowed: boolean): boolean {
  const [state, setState] = useState({ allowed, lost: false });
  if (state.allowed !== allowed) {
    const next = { allowed, lost: !allowed };
    setState(next);
    return next.lost;
  }
  return state.lost;
}

/**
 * True when the role allows it now or allowed it at some point on this page: a page keeps the forms
 * opened then mounted (each turns read-only, see {@link useRoleLost}) rather than dropping what was typed.
 */
export function useWasAllowed(allowed: boolean): boolean {
  const [was, setWas] = useState(allowed);
  if (allowed && !was) setWas(true);
  return was || allowed;
}

/** The labels of the status fields (as the form shows them) whose values differ between `a` and `b` (null and '' are equal). */
export function changedStatusLabels(a: StatusFields, b: StatusFields): string[] {
  return STATUS_FIELD_ORDER.filter((f) => (a[f] ?? '') !== (b[f] ?? '')).map((f) => STATUS_FIELD_LABELS[f]);
}

/**
 * What a form says once the role was lowered under it with values typed (`fields`, their labels): they
 * were not saved, the new role cannot `cannot` ("change statuses"), and the form keeps them to copy.
 * Nothing when no field holds a typed value.
 */
export function RoleLostNotice({ id, cannot, fields }: { id?: string; cannot: string; fields: readonly string[] }) {
  const { me } = useSession();
  if (fields.length === 0) return null;
  return (
    <p className="warning role-lost" id={id} role="status">
      What you typed was not saved: your role is now {me.role}, which cannot {cannot}. The form keeps your values ({joinWords(fields)}) so that you can copy them; a
      manager can give you back the right to {cannot}.
    </p>
  );
}
