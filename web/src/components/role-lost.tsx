import { useEffect, useRef, useState } from 'react';
import { ApiError, type StatusFields } from '../api/client.js';
import { focusWhenShown } from '../lib/focus.js';
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

/** True for the server's refusal of the user's role (403 FORBIDDEN), which a role raised again no longer holds. */
export function isRoleRefusal(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && error.code === 'FORBIDDEN';
}

/**
 * Calls `onRegained` when the role allows again what it stopped allowing while the page was open (a
 * manager gave it back): a form then drops the refusal it showed for the lower role, which no longer
 * holds next to its enabled submit button.
 */
export function useRoleRegained(allowed: boolean, onRegained: () => void): void {
  const was = useRef(allowed);
  const callback = useRef(onRegained);
  callback.current = onRegained;
  useEffect(() => {
    if (allowed && !was.current) callback.current();
    was.current = allowed;
  }, [allowed]);
}

/**
 * For a form that shows the server's refusals: `note(error)` on each refusal, `forget()` when the form
 * closes; once the role allows again what it stopped allowing, `clear` is called if the refusal shown
 * was the server's for the role (403 FORBIDDEN), which no longer holds next to an enabled submit button.
 */
export function useRoleRefusal(allowed: boolean, clear: () => void): { note: (error: unknown) => void; forget: () => void } {
  const refused = useRef(false);
  useRoleRegained(allowed, () => {
    if (refused.current) clear();
    refused.current = false;
  });
  return {
    note: (error) => {
      refused.current = isRoleRefusal(error);
    },
    forget: () => {
      refused.current = false;
    },
  };
}

/**
 * Where the focus goes once a form closes: back to the button that opened it (`openerId`) while the role
 * still shows it, else (a read-only form closed after the role was lowered: its opener is gone) to the
 * page's main heading, rather than to the document.
 */
export function focusAfterClose(openerId: string | undefined, allowed: boolean): void {
  focusWhenShown(() => (allowed && openerId ? document.getElementById(openerId) : null) ?? document.querySelector<HTMLElement>('main h1'));
}

/** The labels of the status fields (as the form shows them) whose values differ between `a` and `b` (null and '' are equal). */
export function changedStatusLabels(a: StatusFields, b: StatusFields): string[] {
  return STATUS_FIELD_ORDER.filter((f) => (a[f] ?? '') !== (b[f] ?? '')).map((f) => STATUS_FIELD_LABELS[f]);
}

/**
 * What a form says once the role was lowered under it with values typed (`fields`, their labels): they
 * were not saved, the new role cannot `cannot` ("change statuses"), and the form keeps them to copy.
 * Nothing when no field holds a typed value (the form passes none while its role allows it): the live
 * region stays in the form, empty, so that the words put in it later are read out. When the notice
 * shows while the focus is in its form (or dialog), or fell to the document as the focused control
 * turned read-only or went, the notice takes it.
 */
export function RoleLostNotice({ id, cannot, fields }: { id?: string; cannot: string; fields: readonly string[] }) {
  const { me } = useSession();
  const region = useRef<HTMLDivElement>(null);
  const notice = useRef<HTMLParagraphElement>(null);
  const shown = fields.length > 0;
  useEffect(() => {
    if (!shown) return;
    const active = document.activeElement;
    const holder = region.current?.closest('form, dialog');
    if (!active || active === document.body || active === document.documentElement || (holder && holder.contains(active))) notice.current?.focus();
  }, [shown]);
  return (
    <div role="status" ref={region}>
      {shown ? (
        <p className="warning role-lost" id={id} tabIndex={-1} ref={notice}>
          What you typed was not saved: your role is now {me.role}, which cannot {cannot}. The form keeps your values ({joinWords(fields)}) so that you can copy them; a
          manager can give you back the right to {cannot}.
        </p>
      ) : null}
    </div>
  );
}
