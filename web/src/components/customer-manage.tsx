import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, type Customer, type CustomerChanges, type Entitlement } from '../api/client.js';
import { CUSTOMER_LIMITS, checkDetails, CustomerDetailsFields, DETAILS_FIELDS, describedBy, fieldId, FieldProblem, FormEnd, TextField, tooLong, useFormProblems, type CustomerDetails } from './customer-fields.js';
import { showFlash } from './flash.js';
import { focusAfterClose, RoleLostNotice, useRoleLost, useRoleRefusal } from './role-lost.js';
import { focusWhenShown } from '../lib/focus.js';
import { useWorkloads } from '../lib/reference-data.js';
import { navigate, useLeaveGuard } from '../lib/router.js';

/** The details form's starting values: the customer as loaded. */
function toDetails(customer: Customer): CustomerDetails {
  return { tenantId: customer.tenantId, name: customer.name, managed: customer.managed, region: customer.region ?? '' };
}

/** Only what the form changed (PATCH takes the fields it is sent); empty when nothing changed. */
function toChanges(before: Customer, after: CustomerDetails): CustomerChanges {
  const changes: CustomerChanges = {};
  if (after.tenantId.trim() !== before.tenantId) changes.tenantId = after.tenantId.trim();
  if (after.name.trim() !== before.name) changes.name = after.name.trim();
  if (after.managed !== before.managed) changes.managed = after.managed;
  const region = after.region.trim() || null;
  if (region !== before.region) changes.region = region;
  return changes;
}

/** What a change to a customer that is gone (deleted in another tab, or by someone else) says, instead of "No customer with id 12.". */
export const CUSTOMER_GONE = 'This customer no longer exists: it was deleted, maybe in another tab or by someone else. Nothing was saved; go to the portfolio.';

/** True for the API's 404: the customer was deleted meanwhile (or moved out of reach). */
function isGone(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** The API's 404 as `CUSTOMER_GONE`; any other error as it is. */
function unlessGone(error: unknown): unknown {
  return isGone(error) ? new Error(CUSTOMER_GONE) : error;
}

const EDIT_PREFIX = 'edit-customer';
const EDIT_OPEN_ID = 'edit-customer-open';

/** What a role that may no longer manage customers cannot do, as the notice of a form turned read-only says it. */
const CANNOT_MANAGE = 'change customers';

/** The labels of the details fields, as the form shows them, for the notice of a form turned read-only. */
const DETAILS_LABELS: Record<keyof CustomerChanges, string> = { tenantId: 'Tenant id', name: 'Name', managed: 'Managed', region: 'Region' };

/**
 * "Edit details": the customer's name, tenant id, managed flag and region. `allowed`: the role may
 * change customers; once it no longer may (lowered while the page is open), an open form with changes
 * stays, read-only, saying they were not saved, and any other goes.
 */
export function EditDetailsForm({ customer, onDone, allowed = true }: { customer: Customer; onDone: (message: string) => void; allowed?: boolean }) {
  const [open, setOpen] = useState(false);
  const [details, setDetails] = useState<CustomerDetails>(() => toDetails(customer));
  const form = useFormProblems(EDIT_PREFIX, DETAILS_FIELDS);
  const [busy, setBusy] = useState(false);
  /** A save found the customer deleted: what the form holds stays, to copy, but can no longer be saved. */
  const [gone, setGone] = useState(false);
  const changed = open ? (Object.keys(toChanges(customer, details)) as (keyof CustomerChanges)[]) : [];
  const lost = useRoleLost(allowed) && changed.length > 0;
  /** The refusal shown is the server's for the role: it no longer holds once the role is raised again. */
  const roleRefusal = useRoleRefusal(allowed, () => form.clear());
  // A link, Back or Forward while the form holds changes asks first, as the new-customer form does
  // (not once the customer is gone: its refusal says to go to the portfolio, which should not ask; nor
  // once the role may no longer save them).
  const unsaved = allowed && !gone && changed.length > 0;
  useLeaveGuard(unsaved ? `The details of ${customer.name} are not saved: what you typed in Edit details would be lost.` : undefined);

  function close() {
    setOpen(false);
    form.clear();
    roleRefusal.forget();
    focusAfterClose(EDIT_OPEN_ID, allowed);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (form.found(checkDetails(details))) return;
    const changes = toChanges(customer, details);
    if (Object.keys(changes).length === 0) {
      close();
      onDone('Nothing changed: the details are as they were.');
      return;
    }
    setBusy(true);
    try {
      const saved = await api.updateCustomer(customer.id, changes);
      close();
      onDone(`Saved the details of ${saved.name}.`);
    } catch (error) {
      if (isGone(error)) setGone(true);
      roleRefusal.note(error);
      form.refused(unlessGone(error));
    } finally {
      setBusy(false);
    }
  }

  if (!allowed && !lost) return null;
  if (!open)
    return (
      <button
        type="button"
        id={EDIT_OPEN_ID}
        onClick={() => {
          setDetails(toDetails(customer));
          setOpen(true);
          focusWhenShown(fieldId(EDIT_PREFIX, 'tenantId'));
        }}
      >
        Edit details
      </button>
    );
  return (
    <form className="card customer-change customer-form" onSubmit={submit} noValidate aria-labelledby="edit-customer-heading">
      <h2 id="edit-customer-heading">Edit details</h2>
      <RoleLostNotice cannot={CANNOT_MANAGE} fields={lost ? changed.map((f) => DETAILS_LABELS[f]) : []} />
      <CustomerDetailsFields prefix={EDIT_PREFIX} value={details} onChange={setDetails} problems={form.problems} disabled={busy || lost} tenantHolderId={form.holderId} />
      <FormEnd
        refusal={form.refusal}
        busy={busy}
        readOnly={lost}
        label="Save details"
        busyLabel="Saving…"
        cancel={
          <button type="button" onClick={close} disabled={busy}>
            Cancel
          </button>
        }
      />
    </form>
  );
}

const ADD_PREFIX = 'add-workload';
const ADD_OPEN_ID = 'add-workload-open';
const ADD_FIELDS = ['workload', 'part'] as const;

/** "Add workload": a new entitlement for a workload, or a split part of one (named). `allowed` as for {@link EditDetailsForm}. */
export function AddWorkloadForm({ customer, onAdded, allowed = true }: { customer: Customer; onAdded: (entitlement: Entitlement) => void; allowed?: boolean }) {
  const workloads = useWorkloads();
  const [open, setOpen] = useState(false);
  const [workload, setWorkload] = useState('');
  const [part, setPart] = useState('');
  const form = useFormProblems(ADD_PREFIX, ADD_FIELDS);
  const { problems } = form;
  const [busy, setBusy] = useState(false);
  /** An add found the customer deleted: nothing chosen here can be added any more (see EditDetailsForm). */
  const [gone, setGone] = useState(false);
  const typed = open ? [...(workload !== '' ? ['Workload'] : []), ...(part.trim() !== '' ? ['Part'] : [])] : [];
  const lost = useRoleLost(allowed) && typed.length > 0;
  const roleRefusal = useRoleRefusal(allowed, () => form.clear());
  // Beside Edit details' own question: leaving asks once, saying what each form would lose.
  // It says what the form holds: a part typed before any workload is chosen is no workload chosen.
  useLeaveGuard(
    gone || !allowed
      ? undefined
      : open && workload !== ''
      ? `The workload you chose in Add workload is not added to ${customer.name} yet.`
      : open && part.trim() !== ''
        ? `The part you typed in Add workload is not added to ${customer.name} yet.`
        : undefined,
  );

  function close() {
    setOpen(false);
    setWorkload('');
    setPart('');
    form.clear();
    roleRefusal.forget();
    focusAfterClose(ADD_OPEN_ID, allowed);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const partTooLong = tooLong('The part', part, CUSTOMER_LIMITS.part);
    if (form.found({ ...(workload ? {} : { workload: 'Choose the workload.' }), ...(partTooLong ? { part: partTooLong } : {}) })) return;
    setBusy(true);
    try {
      const added = await api.addEntitlement(customer.id, part.trim() ? { workload, part: part.trim() } : { workload });
      close();
      onAdded(added);
    } catch (error) {
      // A workload (or part) the customer has already: said under the part when one was named, in the
      // words of the form. Parts are compared ignoring case, so the part is named as stored, as the
      // API gives it in details.part ("nordic" typed is refused for "Nordic"), else as typed.
      const name = workloads.data?.find((w) => w.slug === workload)?.name ?? workload;
      const given = error instanceof ApiError ? (error.details as { part?: unknown } | null | undefined)?.part : undefined;
      const storedPart = typeof given === 'string' ? given : part.trim();
      if (isGone(error)) setGone(true);
      roleRefusal.note(error);
      const refusal =
        error instanceof ApiError && error.status === 409
          ? new ApiError(409, { code: error.code, message: part.trim() ? `${customer.name} already has a part “${storedPart}” of ${name}. Name another part.` : `${customer.name} already has ${name} as a whole workload. To track a part of it apart, name the part.` })
          : unlessGone(error);
      form.refused(refusal, { conflictField: part.trim() ? 'part' : 'workload', unknownField: 'workload' });
    } finally {
      setBusy(false);
    }
  }

  if (!allowed && !lost) return null;
  if (!open)
    return (
      <button
        type="button"
        id={ADD_OPEN_ID}
        onClick={() => {
          setOpen(true);
          focusWhenShown(fieldId(ADD_PREFIX, 'workload'));
        }}
      >
        Add workload
      </button>
    );
  return (
    <form className="card customer-change customer-form" onSubmit={submit} noValidate aria-labelledby="add-workload-heading">
      <h2 id="add-workload-heading">Add a workload</h2>
      <RoleLostNotice cannot={CANNOT_MANAGE} fields={lost ? typed : []} />
      <div className="customer-fields">
        <div className="field">
          <label htmlFor={fieldId(ADD_PREFIX, 'workload')}>Workload</label>
          <select id={fieldId(ADD_PREFIX, 'workload')} value={workload} disabled={busy || lost} onChange={(e) => setWorkload(e.target.value)} {...describedBy(ADD_PREFIX, 'workload', problems)}>
            <option value="">Choose…</option>
            {(workloads.data ?? []).map((w) => (
              <option key={w.slug} value={w.slug}>
                {w.name}
              </option>
            ))}
          </select>
          <FieldProblem prefix={ADD_PREFIX} field="workload" problems={problems} />
        </div>
        <TextField
          prefix={ADD_PREFIX}
          field="part"
          label="Part (optional)"
          hint="Name a part (a region, a subsidiary) to track it apart; leave it empty for the whole workload."
          value={part}
          onChange={setPart}
          problems={problems}
          disabled={busy || lost}
        />
      </div>
      {workloads.error ? (
        <p className="state state-error" role="alert">
          The workloads could not be loaded: {workloads.error.message}
        </p>
      ) : null}
      <FormEnd
        refusal={form.refusal}
        busy={busy}
        readOnly={lost}
        label="Add workload"
        busyLabel="Adding…"
        cancel={
          <button type="button" onClick={close} disabled={busy}>
            Cancel
          </button>
        }
      />
    </form>
  );
}

/**
 * True when every entitlement is as it was created (version 1: no status change yet), the customers
 * the API deletes. It answers 409 for any other, which the dialog shows if it comes all the same.
 */
export function looksNeverWorkedOn(entitlements: Entitlement[]): boolean {
  return entitlements.every((e) => e.version === 1);
}

/**
 * The confirmation of a delete: asks why (kept in the audit log), then deletes and goes to the portfolio.
 * `allowed` as for {@link EditDetailsForm}: once the role may no longer delete, a reason typed stays,
 * read-only, with the notice (Cancel closes it for good); with none typed the dialog closes.
 */
export function DeleteCustomerDialog({ customer, count, onClose, allowed = true }: { customer: Customer; count: number; onClose: () => void; allowed?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  const [refusal, setRefusal] = useState<string>();
  const [busy, setBusy] = useState(false);
  const lost = useRoleLost(allowed) && reason.trim() !== '';
  const roleRefusal = useRoleRefusal(allowed, () => setRefusal(undefined));
  // Nothing typed when the role was lowered: nothing to keep, the dialog closes.
  useEffect(() => {
    if (!allowed && !lost && !busy) onClose();
  }, [allowed, lost, busy, onClose]);
  useEffect(() => {
    const dialog = ref.current;
    const returnTo = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    document.getElementById('delete-reason')?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      if (returnTo?.isConnected) returnTo.focus();
      // Its opener went (the role was lowered): the page's heading, rather than the document.
      else if (returnTo) focusWhenShown(() => document.querySelector<HTMLElement>('main h1'));
    };
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || lost) return;
    setRefusal(undefined);
    roleRefusal.forget();
    if (!reason.trim()) {
      setProblem('Say why the customer is deleted (for example: created by mistake, the tenant id was wrong).');
      focusWhenShown('delete-reason');
      return;
    }
    setProblem(undefined);
    setBusy(true);
    try {
      const deleted = await api.deleteCustomer(customer.id, reason.trim());
      showFlash(`Deleted ${deleted.customer.name} and its ${deleted.entitlementsDeleted} entitlement(s). The audit log keeps who deleted it and why.`, '/portfolio');
      navigate('#/portfolio');
    } catch (error) {
      // 409: the customer has status changes (the server says to mark it Duplicate/Invalid instead).
      // 404: deleted meanwhile (in another tab, or by someone else).
      const gone = error instanceof ApiError && error.status === 404;
      const message = gone ? 'This customer was deleted already, maybe in another tab or by someone else.' : error instanceof Error ? error.message : String(error);
      setRefusal(error instanceof ApiError && error.status === 409 ? `${message} Close this and use “Mark customer Duplicate/Invalid…” on this page.` : message);
      roleRefusal.note(error);
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={ref}
      className="card confirm-dialog"
      aria-labelledby="delete-title"
      aria-describedby="delete-text"
      onCancel={(event) => {
        // Escape: the same as Cancel (not while the delete is being sent).
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id="delete-title">Delete {customer.name}?</h2>
        <p id="delete-text">
          The customer and its {count} entitlement(s) are deleted for good. Use this for a customer created by mistake; the audit log keeps who deleted it, when and why.
        </p>
        <RoleLostNotice cannot={CANNOT_MANAGE} fields={lost ? ['Reason'] : []} />
        <label htmlFor="delete-reason">Why delete it? (required)</label>
        <textarea id="delete-reason" rows={2} maxLength={1000} value={reason} disabled={lost} onChange={(e) => setReason(e.target.value)} aria-invalid={problem ? true : undefined} aria-describedby={problem ? 'delete-reason-problem' : undefined} />
        {problem ? (
          <p id="delete-reason-problem" className="field-error">
            {problem}
          </p>
        ) : null}
        <FormEnd
          refusal={refusal}
          busy={busy}
          readOnly={lost}
          label="Delete customer"
          busyLabel="Deleting…"
          danger
          cancel={
            <button type="button" onClick={onClose} disabled={busy}>
              Cancel
            </button>
          }
        />
      </form>
    </dialog>
  );
}
