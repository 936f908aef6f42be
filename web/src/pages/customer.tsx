import { useMemo, useState, type FormEvent } from 'react';
import { api, readViolations, type Entitlement, type Id } from '../api/client.js';
import { canEdit, useSession } from '../components/session.js';
import { Empty, ErrorMessage, Loading } from '../components/states.js';
import { formatStatus, toStatusClass } from '../lib/format.js';
import { usePartners } from '../lib/reference-data.js';
import { useAsync } from '../lib/use-async.js';

/** Severity order for the overall state: the most pressing L1 present wins. */
const OVERALL_ORDER = ['Blocked', 'No Intent', 'Status Unknown', 'In Progress', 'Duplicate/Invalid'];

/** The customer's overall state: the most pressing L1 among its entitlements, or undefined when it has none. */
export function getOverallState(entitlements: Entitlement[]): string | undefined {
  const present = new Set(entitlements.map((e) => e.l1));
  if (present.size === 1) return [...present][0];
  return OVERALL_ORDER.find((l1) => present.has(l1)) ?? [...present][0];
}

function DuplicateInvalidForm({ customerId, count, onDone }: { customerId: Id; count: number; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.markCustomerDuplicateInvalid(customerId, note.trim());
      setOpen(false);
      onDone();
    } catch (err) {
      const issues = readViolations(err);
      setError([(err as Error).message, ...issues.map((i) => i.message)].join(' '));
    } finally {
      setBusy(false);
    }
  }
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Mark customer Duplicate/Invalid…
      </button>
    );
  return (
    <form className="card" onSubmit={submit} aria-labelledby="dup-heading">
      <h2 id="dup-heading">Mark every entitlement Duplicate/Invalid</h2>
      <p className="muted">All {count} entitlement(s) of this customer change in one step and drop out of reporting.</p>
      <label htmlFor="dup-note">Why is this tenant a duplicate or invalid?</label>
      <textarea id="dup-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} required />
      {error ? <p className="field-error" role="alert">{error}</p> : null}
      <div className="actions">
        <button type="submit" className="danger" disabled={busy || !note.trim()}>
          {busy ? 'Saving…' : `Mark ${count} entitlement(s)`}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A customer: overall state, counts by L1, and its entitlements grouped per workload with their split parts. */
export default function CustomerPage({ id }: { id: number }) {
  const { me } = useSession();
  const data = useAsync((signal) => api.getCustomer(id, signal), [id]);
  const partners = usePartners();
  const byWorkload = useMemo(() => {
    const map = new Map<string, Entitlement[]>();
    for (const e of data.data?.entitlements ?? []) {
      const list = map.get(e.workloadName) ?? [];
      list.push(e);
      map.set(e.workloadName, list);
    }
    return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [data.data]);
  const counts = useMemo(() => {
    const map = new Map<string, number>();
    for (const e of data.data?.entitlements ?? []) map.set(e.l1, (map.get(e.l1) ?? 0) + 1);
    return [...map.entries()];
  }, [data.data]);

  if (data.status === 'error' && !data.data) return <ErrorMessage error={data.error} onRetry={data.reload} />;
  if (!data.data) return <Loading label="Loading the customer…" />;
  const { customer, entitlements } = data.data;
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
      {canEdit(me.role) && entitlements.length > 0 && overall !== 'Duplicate/Invalid' ? (
        <DuplicateInvalidForm customerId={customer.id} count={entitlements.length} onDone={data.reload} />
      ) : null}
      {entitlements.length === 0 ? <Empty>This customer has no entitlements yet.</Empty> : null}
      {entitlements.length > 0 ? (
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
      ) : null}
    </div>
  );
}
