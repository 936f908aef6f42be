import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, readViolations, type Entitlement, type Id, type RuleIssue, type StatusFields, type Taxonomy } from '../api/client.js';
import { BusyButton } from '../components/busy-button.js';
import { AddWorkloadForm, DeleteCustomerDialog, EditDetailsForm, looksNeverWorkedOn } from '../components/customer-manage.js';
import { dismissFlash } from '../components/flash.js';
import { changedStatusLabels, focusAfterClose, RoleLostNotice, useRoleLost, useRoleRefusal, useWasAllowed } from '../components/role-lost.js';
import { canEdit, canManageCustomers, useSession } from '../components/session.js';
import { Empty, ErrorMessage, isNotFound, Loading, NotFoundState, ServerRefusal } from '../components/states.js';
import { createEmptyStatus, StatusFieldset, toFieldId } from '../components/status-fields.js';
import { focusWhenShown } from '../lib/focus.js';
import { formatStatus, toIsoDate, toStatusClass } from '../lib/format.js';
import { usePartners, useTaxonomy } from '../lib/reference-data.js';
import { checkStatus, toBulkChange } from '../lib/rules.js';
import { useAsync } from '../lib/use-async.js';

/** Severity order for the overall state: the most pressing L1 present wins. */
const OVERALL_ORDER = ['Blocked', 'No Intent', 'Status Unknown', 'In Progress', 'Duplicate/Invalid'];

const DUPLICATE_INVALID = 'Duplicate/Invalid';
/** Where a restored customer's entitlements go unless the user picks another status: where new ones start. */
const RESTORE_DEFAULT = { l1: 'Status Unknown', l2: 'New Subscription or Workload' } as const;
/** The most items one bulk change takes (POST /api/entitlements/bulk-status). */
const BULK_LIMIT = 1000;

/** The customer's overall state: the most pressing L1 among its entitlements, or undefined when it has none. */
export function getOverallState(entitlements: Entitlement[]): string | undefined {
  const present = new Set(entitlements.map((e) => e.l1));
  if (present.size === 1) return [...present][0];
  return OVERALL_ORDER.find((l1) => present.has(l1)) ?? [...present][0];
}

/** "Teams", or "Teams (Nordic subsidiary)" for a split part: how a message names an entitlement. */
function describeEntitlement(entitlements: Entitlement[], id: Id): string {
  const e = entitlements.find((x) => x.id === id);
  if (!e) return `Entitlement ${id}`;
  return e.part ? `${e.workloadName} (${e.part})` : e.workloadName;
}

/** A refused save as the page shows it: the server's message and each broken rule or stale entitlement. */
function toRefusal(error: unknown, entitlements: Entitlement[]): { message: string; issues: RuleIssue[]; stale: boolean } {
  const message = error instanceof Error ? error.message : String(error);
  const describe = (id: Id) => describeEntitlement(entitlements, id);
  if (error instanceof ApiError && error.status === 409) {
    const conflicts = (error.details as { conflicts?: { id: Id }[] } | undefined)?.conflicts ?? [];
    return { message, issues: conflicts.map((c) => ({ rule: 'VERSION_CONFLICT', message: `${describe(c.id)} changed since this page loaded it.` })), stale: true };
  }
  const issues = readViolations(error, describe);
  // Every entitlement refused for the whole-customer rule: the customer has a Duplicate/Invalid
  // entitlement this page did not send, one added (or marked) since it loaded. Say so once and offer
  // the reload, instead of the same sentence for each entitlement.
  if (issues.length > 0 && issues.every((i) => i.rule === 'DUPLICATE_INVALID_WHOLE_CUSTOMER')) {
    return { message: 'This customer has an entitlement this page did not show: it was added or changed since the page loaded, so the change did not cover them all. Nothing was saved.', issues: [], stale: true };
  }
  return { message, issues, stale: false };
}

/** The taxonomy without Duplicate/Invalid: the statuses a restored customer may move to. */
function withoutDuplicateInvalid(taxonomy: Taxonomy | undefined): Taxonomy | undefined {
  if (!taxonomy) return undefined;
  return { ...taxonomy, l1s: taxonomy.l1s.filter((n) => n.name !== DUPLICATE_INVALID), codes: taxonomy.codes.filter((c) => c.l1 !== DUPLICATE_INVALID) };
}

/** The status every restored entitlement starts from in the form: Status Unknown / New Subscription or Workload when the playbook has it. */
function restoreStart(taxonomy: Taxonomy | undefined): StatusFields {
  const start = createEmptyStatus();
  if (taxonomy?.codes.some((c) => c.l1 === RESTORE_DEFAULT.l1 && c.l2 === RESTORE_DEFAULT.l2)) return { ...start, ...RESTORE_DEFAULT };
  return start;
}

/** What a role that may no longer change statuses cannot do, as the notice of a form turned read-only says it. */
const CANNOT_EDIT = 'change statuses';
/** The buttons that open the forms below: the focus goes back to them when a form closes. */
const DUP_OPEN_ID = 'dup-open';
const RESTORE_OPEN_ID = 'restore-open';

/**
 * The forms below take `allowed`: the role may change statuses. Once it no longer may (lowered while the
 * page is open), an open form holding what was typed stays, read-only, saying it was not saved; any
 * other goes.
 */
function DuplicateInvalidForm({ customerId, entitlements, onDone, allowed }: { customerId: Id; entitlements: Entitlement[]; onDone: (message: string) => void; allowed: boolean }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; issues: RuleIssue[] }>();
  const count = entitlements.length;
  const lost = useRoleLost(allowed) && open && note.trim() !== '';
  /** The refusal shown is the server's for the role: it no longer holds once the role is raised again. */
  const roleRefusal = useRoleRefusal(allowed, () => setRefusal(undefined));
  function close() {
    setOpen(false);
    setRefusal(undefined);
    roleRefusal.forget();
    focusAfterClose(DUP_OPEN_ID, allowed);
  }
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || !note.trim()) return;
    setBusy(true);
    setRefusal(undefined);
    try {
      const result = (await api.markCustomerDuplicateInvalid(customerId, note.trim())) as { items?: unknown[] } | undefined;
      const changed = result?.items?.length ?? count;
      setOpen(false);
      setNote('');
      onDone(`Marked ${changed} entitlement(s) ${DUPLICATE_INVALID}. The customer is now left out of every report.`);
    } catch (error) {
      setRefusal(toRefusal(error, entitlements));
      roleRefusal.note(error);
    } finally {
      setBusy(false);
    }
  }
  if (!allowed && !lost) return null;
  if (!open)
    return (
      <button type="button" id={DUP_OPEN_ID} onClick={() => setOpen(true)}>
        Mark customer Duplicate/Invalid…
      </button>
    );
  return (
    <form className="card customer-change" onSubmit={submit} aria-labelledby="dup-heading">
      <h2 id="dup-heading">Mark every entitlement Duplicate/Invalid</h2>
      <p>
        All <strong>{count}</strong> entitlement(s) of this customer change together, in one step, and drop out of every report. Use it for a duplicate record, a test
        or demo tenant, or a tenant with no real customer behind it.
      </p>
      <RoleLostNotice cannot={CANNOT_EDIT} fields={lost ? ['Why it is a duplicate or invalid'] : []} />
      <label htmlFor="dup-note">Why is this tenant a duplicate or invalid? (required)</label>
      <textarea id="dup-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} required aria-describedby="dup-note-hint" disabled={lost} />
      <p id="dup-note-hint" className="muted small">
        For example, name the tenant or record that stays, or say what the tenant is used for. Every entitlement gets this note.
      </p>
      <ServerRefusal error={refusal} />
      <div className="actions">
        {/* On a refusal the focus stays here, next to the refusal read out above. */}
        {lost ? null : (
          <BusyButton type="submit" className="danger" busy={busy} disabled={!busy && !note.trim()}>
            {busy ? 'Saving…' : `Mark ${count} entitlement(s) Duplicate/Invalid`}
          </BusyButton>
        )}
        <button type="button" onClick={close} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * Takes a Duplicate/Invalid customer out again: every Duplicate/Invalid entitlement moves to the chosen
 * status in one bulk change, all or nothing, each with the version this page loaded.
 */
function RestoreForm({ entitlements, loading, onDone, onReload, allowed }: { entitlements: Entitlement[]; loading: boolean; onDone: (message: string) => void; onReload: () => void; allowed: boolean }) {
  const taxonomy = useTaxonomy();
  const choices = useMemo(() => withoutDuplicateInvalid(taxonomy.data), [taxonomy.data]);
  const [open, setOpen] = useState(false);
  const [fields, setFields] = useState<StatusFields>();
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; issues: RuleIssue[]; stale: boolean }>();
  const value = fields ?? restoreStart(choices);
  const issues = checkStatus(value, choices, toIsoDate(new Date()));
  const errors = issues.filter((i) => i.severity === 'error');
  const count = entitlements.length;
  const tooMany = count > BULK_LIMIT;
  const typed = open ? changedStatusLabels(value, restoreStart(choices)) : [];
  const lost = useRoleLost(allowed) && typed.length > 0;
  const roleRefusal = useRoleRefusal(allowed, () => setRefusal(undefined));
  function close() {
    setOpen(false);
    setRefusal(undefined);
    roleRefusal.forget();
    focusAfterClose(RESTORE_OPEN_ID, allowed);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || loading || lost) return;
    setTried(true);
    if (errors.length > 0 || tooMany) {
      // The first field with a problem (its message is under it), as the entitlement page does.
      const first = errors[0];
      if (first) focusWhenShown(toFieldId('restore', first.field));
      return;
    }
    setBusy(true);
    setRefusal(undefined);
    try {
      // The note is always sent: the Duplicate/Invalid reason no longer holds (it stays in each history).
      // The flag says this change means to take the customer out of Duplicate/Invalid: without it the
      // server refuses any change that does (so a portfolio "select all" cannot restore one by accident).
      const result = await api.bulkStatus(
        entitlements.map((e) => ({ id: e.id, version: e.version })),
        { ...toBulkChange(value, choices), note: value.note.trim() },
        { restoreDuplicateInvalid: true },
      );
      // Every entitlement gets the same note, so mostly the same warnings: each said once, with how many it concerns.
      const counts = new Map<string, number>();
      for (const w of result.warnings) counts.set(w.message, (counts.get(w.message) ?? 0) + 1);
      const said = [...counts].map(([message, n]) => (n > 1 ? `On ${n} entitlements: ${message}` : message));
      const warnings = said.length > 0 ? ` ${said.length === 1 ? 'Warning' : 'Warnings'}: ${said.join(' ')}` : '';
      setOpen(false);
      setFields(undefined);
      setTried(false);
      onDone(`Restored ${result.updated} entitlement(s) to ${formatStatus(value.l1, value.l2)}. The customer counts in reports again.${warnings}`);
    } catch (error) {
      setRefusal(toRefusal(error, entitlements));
      roleRefusal.note(error);
    } finally {
      setBusy(false);
    }
  }

  if (!allowed && !lost) return null;
  if (!open)
    return (
      <button type="button" id={RESTORE_OPEN_ID} onClick={() => setOpen(true)}>
        Restore customer…
      </button>
    );
  return (
    <form className="card customer-change bulk-panel" onSubmit={submit} aria-labelledby="restore-heading" noValidate>
      <h2 id="restore-heading">Restore every entitlement</h2>
      <p>
        All <strong>{count}</strong> Duplicate/Invalid entitlement(s) of this customer leave {DUPLICATE_INVALID} together and count in reports again. Choose the status they
        all move to. If one of them changed since you opened this page, nothing is saved.
      </p>
      {tooMany ? (
        <p className="field-error" role="alert">
          This customer has more than {BULK_LIMIT} entitlements, more than one change can hold. Restore it with a CSV import that covers every entitlement.
        </p>
      ) : null}
      <RoleLostNotice cannot={CANNOT_EDIT} fields={lost ? typed : []} />
      {/* A fieldset only to turn its controls read-only at once: no group of its own. */}
      <fieldset className="plain" disabled={lost} role="none">
        <StatusFieldset idPrefix="restore" value={value} onChange={setFields} taxonomy={choices} issues={issues} showIssues={tried} compact />
      </fieldset>
      <p className="muted small">The note replaces the {DUPLICATE_INVALID} reason on every entitlement; that reason stays in each one&apos;s history.</p>
      <ServerRefusal error={refusal} />
      <div className="actions">
        {/* On a refusal the focus stays here, next to the refusal read out above (and its Reload button after it). */}
        {lost ? null : (
          <BusyButton type="submit" id="restore-submit" className="primary" busy={busy || loading} disabled={!busy && !loading && tooMany}>
            {busy ? 'Saving…' : `Restore ${count} entitlement(s)`}
          </BusyButton>
        )}
        {refusal?.stale && !lost ? (
          <button
            type="button"
            onClick={() => {
              setRefusal(undefined);
              onReload();
              // This button goes with the refusal: Restore, once the customer is loaded again, is where to go on.
              focusWhenShown('restore-submit');
            }}
            disabled={busy}
          >
            Reload the customer
          </button>
        ) : null}
        <button type="button" onClick={close} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A customer: overall state, counts by L1, and its entitlements grouped per workload with their split parts. */
export default function CustomerPage({ id }: { id: number }) {
  const { me } = useSession();
  // A partner's own playbook may have no Duplicate/Invalid status: then there is nothing to mark.
  const taxonomy = useTaxonomy();
  const canMarkDuplicate = !taxonomy.data || taxonomy.data.l1s.some((n) => n.id === 'duplicate-invalid');
  const data = useAsync((signal) => api.getCustomer(id, signal), [id]);
  const partners = usePartners();
  /** Entitlements added on this page: listed at once, before the customer is loaded again. */
  const [added, setAdded] = useState<Entitlement[]>([]);
  const [deleting, setDeleting] = useState(false);
  const closeDelete = useCallback(() => setDeleting(false), []);
  const allEntitlements = useMemo(() => {
    const loaded = data.data?.entitlements ?? [];
    const ids = new Set(loaded.map((e) => e.id));
    return [...loaded, ...added.filter((e) => !ids.has(e.id))];
  }, [data.data, added]);
  const byWorkload = useMemo(() => {
    const map = new Map<string, Entitlement[]>();
    for (const e of allEntitlements) {
      const list = map.get(e.workloadName) ?? [];
      list.push(e);
      map.set(e.workloadName, list);
    }
    return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [allEntitlements]);
  const [notice, setNotice] = useState<string>();
  const duplicates = useMemo(() => allEntitlements.filter((e) => e.l1 === DUPLICATE_INVALID), [allEntitlements]);
  const done = (message: string) => {
    // The notice this page opened with (Created … with 0 workload(s)) no longer holds: this one replaces it.
    dismissFlash();
    setNotice(message);
    data.reload();
  };
  const counts = useMemo(() => {
    const map = new Map<string, number>();
    for (const e of allEntitlements) map.set(e.l1, (map.get(e.l1) ?? 0) + 1);
    return [...map.entries()];
  }, [allEntitlements]);
  // The forms of a role lowered while the page is open stay, read-only, with what was typed (see the forms).
  const wasManager = useWasAllowed(canManageCustomers(me.role));
  const wasEditor = useWasAllowed(canEdit(me.role));

  if (data.status === 'error' && !data.data && isNotFound(data.error)) return <NotFoundState what="customer" />;
  if (data.status === 'error' && !data.data) return <ErrorMessage error={data.error} onRetry={data.reload} />;
  if (!data.data) return <Loading label="Loading the customer…" />;
  const { customer } = data.data;
  const entitlements = allEntitlements;
  const manager = canManageCustomers(me.role);
  const editor = canEdit(me.role);
  const overall = getOverallState(entitlements);

  return (
    <div className="page customer">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href="#/portfolio">Portfolio</a> › {customer.name}
      </nav>
      <div className="page-head">
        <h1>{customer.name}</h1>
        {overall ? <span className={`status-pill ${toStatusClass(overall)}`}>Overall: {overall}</span> : null}
      </div>
      <dl className="facts">
        <div>
          <dt>Tenant</dt>
          <dd>
            <code>{customer.tenantId}</code>
          </dd>
        </div>
        <div>
          <dt>Partner</dt>
          <dd>{partners.data?.find((p) => p.id === customer.partnerId)?.name ?? `#${customer.partnerId}`}</dd>
        </div>
        <div>
          <dt>Managed</dt>
          <dd>{customer.managed ? 'Managed' : 'Unmanaged'}</dd>
        </div>
        <div>
          <dt>Region</dt>
          <dd>{customer.region ?? '—'}</dd>
        </div>
        <div>
          <dt>Entitlements</dt>
          <dd>
            {entitlements.length}{' '}
            {counts.map(([l1, n]) => (
              <span key={l1} className={`chip ${toStatusClass(l1)}`}>
                {l1}: {n}
              </span>
            ))}
          </dd>
        </div>
      </dl>
      {duplicates.length > 0 && duplicates.length === entitlements.length ? (
        <p className="notice">
          Every entitlement of this customer is {DUPLICATE_INVALID}, so the customer is left out of every report.
          {canEdit(me.role) ? ' You can still change each entitlement\'s note or owner on its own page.' : ''}
        </p>
      ) : null}
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {wasManager ? (
        <div className="customer-actions customer-manage">
          <EditDetailsForm customer={customer} onDone={done} allowed={manager} />
          <AddWorkloadForm
            customer={customer}
            allowed={manager}
            onAdded={(entitlement) => {
              setAdded((list) => [...list, entitlement]);
              done(`Added ${entitlement.part ? `${entitlement.workloadName} (${entitlement.part})` : entitlement.workloadName} as ${formatStatus(entitlement.l1, entitlement.l2)}.`);
            }}
          />
          {!manager ? null : looksNeverWorkedOn(entitlements) ? (
            <button type="button" className="danger" onClick={() => setDeleting(true)}>
              Delete customer…
            </button>
          ) : (
            <p className="muted small">This customer has status changes, so it cannot be deleted. To retire it, mark it Duplicate/Invalid.</p>
          )}
          {/* Kept while the role is lowered (read-only, with the reason typed) until closed: never opened again by itself. */}
          {deleting ? <DeleteCustomerDialog customer={customer} count={entitlements.length} onClose={closeDelete} allowed={manager} /> : null}
        </div>
      ) : null}
      {wasEditor && entitlements.length > 0 ? (
        <div className="customer-actions">
          {canMarkDuplicate && duplicates.length < entitlements.length ? <DuplicateInvalidForm customerId={customer.id} entitlements={entitlements} onDone={done} allowed={editor} /> : null}
          {duplicates.length > 0 ? <RestoreForm entitlements={duplicates} loading={data.status === 'loading'} onDone={done} onReload={data.reload} allowed={editor} /> : null}
        </div>
      ) : null}
      {entitlements.length === 0 ? <Empty>This customer has no entitlements yet.</Empty> : null}
      {entitlements.length > 0 ? (
        <div className="table-scroll" role="region" aria-label={`Entitlements of ${customer.name}`} tabIndex={0}>
        <table className="data-table">
          <caption className="visually-hidden">Entitlements of {customer.name} per workload</caption>
          <thead>
            <tr>
              <th scope="col">Workload</th>
              <th scope="col">Part</th>
              <th scope="col">Status</th>
              <th scope="col">Note</th>
              <th scope="col">Days</th>
              <th scope="col">Owner</th>
            </tr>
          </thead>
          <tbody>
            {byWorkload.map(([workload, list]) =>
              list.map((e, index) => (
                <tr key={e.id} className={toStatusClass(e.l1)}>
                  {index === 0 ? (
                    <th scope="rowgroup" rowSpan={list.length}>
                      {workload}
                      {list.length > 1 ? <div className="muted small">split in {list.length} parts</div> : null}
                    </th>
                  ) : null}
                  <td>{e.part || <span className="muted">whole</span>}</td>
                  <td>
                    <a href={`#/entitlements/${encodeURIComponent(String(e.id))}`}>{formatStatus(e.l1, e.l2)}</a>
                  </td>
                  <td className="note-cell">{e.note || <span className="muted">no note</span>}</td>
                  <td className="num">{e.daysInStatus}</td>
                  <td>{e.owner ?? '—'}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
        </div>
      ) : null}
    </div>
  );
}
