import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { MAX_STREAMED_ROWS, api, ApiError, getExportUrl, readViolations, type CountsReport, type Entitlement, type Id, type RuleIssue, type StatusFields } from '../api/client.js';
import { BusyButton } from '../components/busy-button.js';
import { DownloadError, DownloadLink, useDownload } from '../components/download-link.js';
import { changedStatusLabels, focusAfterClose, RoleLostNotice, useRoleLost, useRoleRefusal } from '../components/role-lost.js';
import { canEdit, canManageCustomers, useSession } from '../components/session.js';
import { Empty, ErrorMessage, Loading, Notice } from '../components/states.js';
import { createEmptyStatus, StatusFieldset } from '../components/status-fields.js';
import {
  BULK_LIMIT,
  DUPLICATE_INVALID,
  describeBulkChange,
  describeLeftOut,
  groupRowIssues,
  groupWarnings,
  needsConfirmation,
  plural,
  readRestoreRefusal,
  selectAllShown,
  type IssueGroup,
} from '../lib/bulk.js';
import { focusFollowedLink, focusWhenShown, findFollowedLink, forgetFollowedLink, rememberFollowedLink, type FollowedLink } from '../lib/focus.js';
import { formatStatus, toIsoDate, toStatusClass } from '../lib/format.js';
import { usePartners, useTaxonomy, useWorkloads } from '../lib/reference-data.js';
import { goTo, parseHash, toHref, type HistoryMode, type Route } from '../lib/router.js';
import { checkStatus, listL2s, toBulkChange } from '../lib/rules.js';
import { checkPortfolioFilters, describeDroppedFilters, findRetiredLabels, PORTFOLIO_FILTER_KEYS, type PortfolioFilterKey, type PortfolioFilters } from '../lib/url-filters.js';
import { useAsync, useDebounced } from '../lib/use-async.js';
import { SERVER_SORT, serverOrder, type PortfolioSortKey } from '../lib/server-order.js';

/** The export's file name when the server's answer names none (it does: `unblock-entitlements-<date>.csv`). */
const EXPORT_FALLBACK_NAME = 'unblock-entitlements.csv';

/** Filter keys kept in the URL; the URL is the saved view. */
const FILTER_KEYS = PORTFOLIO_FILTER_KEYS;
type FilterKey = PortfolioFilterKey;
type Filters = PortfolioFilters;

type SortKey = PortfolioSortKey;
interface Column {
  key: SortKey;
  label: string;
  /** Share of the spare width (fr). */
  width: number;
  /** Narrowest the column gets (rem); below the sum of these the table scrolls sideways instead of cutting cells. */
  min: number;
}

const COLUMNS: Column[] = [
  { key: 'customer', label: 'Customer', width: 1.8, min: 16 },
  { key: 'workload', label: 'Workload', width: 1.4, min: 12.5 },
  { key: 'status', label: 'Status', width: 3, min: 29.5 },
  { key: 'owner', label: 'Owner', width: 1.2, min: 9 },
  { key: 'days', label: 'Days', width: 0.6, min: 5 },
  { key: 'updated', label: 'Updated', width: 0.9, min: 7 },
];
const CHECKBOX_REM = 2.5;
const GRID = `${CHECKBOX_REM}rem ${COLUMNS.map((c) => `minmax(${c.min}rem, ${c.width}fr)`).join(' ')}`;
/**
 * The table's narrowest width: on a narrower screen it scrolls sideways (header and rows together).
 * The minimums fit the longest status, workload and demo customer names at 1280 px with no sideways
 * scroll; both row groups keep a scrollbar gutter (16 px here) so the header lines up with the rows.
 */
const TABLE_MIN_WIDTH = `calc(${CHECKBOX_REM + COLUMNS.reduce((sum, c) => sum + c.min, 0)}rem + 16px)`;
const ROW_HEIGHT = 40;
/** Saved views are kept per user (`unblock.savedViews.<user id>`): people sharing a browser keep their own. */
const VIEWS_KEY = 'unblock.savedViews';

function readFilters(route: Route): Filters {
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const value = route.query.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

function readSort(route: Route): { key: SortKey; desc: boolean } {
  const raw = route.query.get('sort') ?? '-days';
  const desc = raw.startsWith('-');
  const key = raw.replace(/^-/, '') as SortKey;
  return COLUMNS.some((c) => c.key === key) ? { key, desc } : { key: 'days', desc: true };
}

function updateQuery(route: Route, patch: Record<string, string | undefined>, mode: HistoryMode): void {
  const next: Record<string, string> = {};
  route.query.forEach((v, k) => (next[k] = v));
  for (const [k, v] of Object.entries(patch)) {
    if (v) next[k] = v;
    else delete next[k];
  }
  goTo(toHref(route.path, next), mode);
}

/** How the page names an entitlement in messages: `Harbour Logistics · Teams · Nordic subsidiary`. */
function describeRow(row: Pick<Entitlement, 'customerName' | 'workloadName' | 'part'>): string {
  return `${row.customerName} · ${row.workloadName}${row.part ? ` · ${row.part}` : ''}`;
}

/** A refused bulk change as the panel shows it: the server's message, its per-row problems grouped, and any customer it would have restored. */
interface BulkRefusal {
  message: string;
  groups: IssueGroup[];
  /** Problems not tied to rows (a single change's violations), listed as they are. */
  issues: RuleIssue[];
  restore: { customerId: Id; customerName: string; count: number }[];
}

function describeBulkError(error: unknown, rows: Entitlement[]): BulkRefusal {
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  const describe = (id: Id) => {
    const row = byId.get(String(id));
    return row ? describeRow(row) : `Entitlement ${id}`;
  };
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof ApiError)) return { message, groups: [], issues: [], restore: [] };
  if (error.code === 'RESTORE_NOT_CONFIRMED') {
    return {
      message: 'Nothing was saved: this change would take Duplicate/Invalid customers out of Duplicate/Invalid. Untick their entitlements, and restore such a customer as a whole from its page:',
      groups: [],
      issues: [],
      restore: readRestoreRefusal(error.details),
    };
  }
  const groups = groupRowIssues(error.details, describe);
  return { message, groups, issues: groups.length > 0 ? [] : readViolations(error, describe), restore: [] };
}

/**
 * One line per distinct warning or problem with its count; each opens to list the entitlements it
 * concerns (with links), so hundreds of rows with the same warning take one line, not hundreds.
 */
function IssueGroups({ groups, label }: { groups: IssueGroup[]; label: string }) {
  if (groups.length === 0) return null;
  return (
    <ul className="issue-groups" aria-label={label}>
      {groups.map((group) => (
        <li key={group.key}>
          <details>
            <summary>{group.summary}</summary>
            <ul>
              {group.items.map((item, i) => (
                <li key={`${item.id}:${i}`}>
                  <a href={`#/entitlements/${encodeURIComponent(String(item.id))}`}>{item.label}</a>: {item.message}
                </li>
              ))}
            </ul>
          </details>
        </li>
      ))}
    </ul>
  );
}

function BulkRefusalMessage({ refusal }: { refusal: BulkRefusal | undefined }) {
  if (!refusal) return null;
  return (
    <div role="alert" id="bulk-refusal" tabIndex={-1} className="state state-error bulk-refusal">
      <p>{refusal.message}</p>
      <IssueGroups groups={refusal.groups} label="Problems, one line per kind; open one to see the entitlements" />
      {refusal.issues.length > 0 ? (
        <ul>
          {refusal.issues.map((issue, i) => (
            <li key={i}>{issue.message}</li>
          ))}
        </ul>
      ) : null}
      {refusal.restore.length > 0 ? (
        <ul>
          {refusal.restore.map((c) => (
            <li key={c.customerId}>
              <a href={`#/customers/${encodeURIComponent(String(c.customerId))}`}>{c.customerName}</a> ({plural(c.count, 'entitlement')} selected)
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** What a finished bulk change reports: a sentence, and its warnings grouped. */
export interface BulkOutcome {
  text: string;
  warnings: IssueGroup[];
}

/** The toolbar's button that opens the bulk panel. */
const BULK_OPEN_ID = 'bulk-open';

/**
 * The bulk change of the selected rows. `allowed`: the role may change statuses; once it no longer may
 * (lowered while the panel is open), the panel keeps what was filled in, read-only, and says it was not
 * saved; a panel with nothing filled in closes (`onClosedForRole`, for the page to say why), and the
 * focus, when it was in the panel or fell to the document, goes to the page's heading (its opener
 * goes with the role).
 */
function BulkPanel({
  selected,
  onDone,
  onCancel,
  onClosedForRole,
  onDeselect,
  allowed,
}: {
  selected: Entitlement[];
  onDone: (outcome: BulkOutcome) => void;
  onCancel: () => void;
  onClosedForRole: () => void;
  onDeselect: (ids: string[]) => void;
  allowed: boolean;
}) {
  const taxonomy = useTaxonomy();
  const [fields, setFields] = useState<StatusFields>(createEmptyStatus);
  const typed = changedStatusLabels(fields, createEmptyStatus());
  const lost = useRoleLost(allowed) && typed.length > 0;
  const [tried, setTried] = useState(false);
  /** True once the change was checked and, being large, waits for the user to confirm it. */
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<BulkRefusal>();
  /** The refusal shown is the server's for the role: it no longer holds once the role is raised again. */
  const roleRefusal = useRoleRefusal(allowed, () => setServerError(undefined));
  /** Cancel: the panel closes, and the focus goes back to its opener (the heading when the role no longer shows it). */
  const cancel = () => {
    onCancel();
    focusAfterClose(BULK_OPEN_ID, allowed);
  };
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const form = useRef<HTMLFormElement>(null);
  // A note or date left empty keeps each entitlement's own: only rows with none to keep need one here.
  const bulk = useMemo(
    () => ({ withoutTargetDate: selected.filter((e) => !e.targetDate).length, withoutUnblockDate: selected.filter((e) => !e.projectedUnblockDate).length }),
    [selected],
  );
  const issues = checkStatus(fields, taxonomy.data, toIsoDate(new Date()), bulk);
  const errors = issues.filter((i) => i.severity === 'error');
  const customers = new Set(selected.map((e) => e.customerId)).size;
  const duplicates = selected.filter((e) => e.l1 === DUPLICATE_INVALID);
  const duplicateCustomers = [...new Map(duplicates.map((e) => [e.customerId, e.customerName])).entries()];
  const tooMany = selected.length > BULK_LIMIT;
  const count = selected.length;

  useEffect(() => {
    if (confirming) confirmHeading.current?.focus();
  }, [confirming]);
  // A different selection is a different change: confirm it again.
  useEffect(() => setConfirming(false), [count]);

  // Nothing filled in when the role was lowered: nothing to keep, the panel closes. The focus it held (or
  // that fell to the document as the opener went with the role) goes to the heading; elsewhere it stays.
  useEffect(() => {
    if (allowed || lost) return;
    const active = document.activeElement;
    const held = !active || active === document.body || active === document.documentElement || Boolean(form.current?.contains(active));
    onClosedForRole();
    if (held) focusAfterClose(BULK_OPEN_ID, false);
  }, [allowed, lost, onClosedForRole]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || lost) return;
    setTried(true);
    if (errors.length > 0 || tooMany) return;
    if (needsConfirmation(count) && !confirming) {
      setConfirming(true);
      return;
    }
    setBusy(true);
    setServerError(undefined);
    try {
      const result = await api.bulkStatus(
        selected.map((e) => ({ id: e.id, version: e.version })),
        toBulkChange(fields, taxonomy.data),
      );
      const byId = new Map(selected.map((e) => [e.id, e]));
      const warnings = groupWarnings(
        result.results.map((r) => {
          const row = byId.get(r.entitlement.id) ?? r.entitlement;
          return { id: r.entitlement.id, label: describeRow(row), warnings: r.warnings };
        }),
      );
      const warningCount = result.warnings.length;
      onDone({
        text: `Updated ${result.updated} entitlement(s) to ${formatStatus(fields.l1, fields.l2)}.${warningCount > 0 ? ` ${plural(warningCount, 'warning')}, one line per kind below:` : ''}`,
        warnings,
      });
    } catch (error) {
      // Refused after the confirmation: its step (and the button under the focus) goes, so the focus
      // goes to the refusal, which says what to change. Refused at once: it stays on Apply.
      if (confirming) focusWhenShown('bulk-refusal');
      setConfirming(false);
      setServerError(describeBulkError(error, selected));
      roleRefusal.note(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card bulk-panel" onSubmit={submit} aria-labelledby="bulk-heading" noValidate ref={form}>
      <h2 id="bulk-heading">
        Change status of {count} entitlement(s) across {customers} customer(s)
      </h2>
      <p className="muted small">
        All or nothing: if one entitlement breaks a rule or changed since you loaded it, none is saved. A note or date left empty keeps each entitlement&apos;s own (the
        server then checks each one against the new status); owners and the other fields are not changed.
      </p>
      {duplicates.length > 0 ? (
        <div className="warning" role="note">
          <p>
            {duplicates.length === 1 ? '1 selected entitlement is' : `${plural(duplicates.length, 'selected entitlement')} are`} {DUPLICATE_INVALID}: this change would take{' '}
            {duplicates.length === 1 ? 'it' : 'them'} out of {DUPLICATE_INVALID}. A {DUPLICATE_INVALID} customer is restored as a whole, with Restore customer on its page:{' '}
            {duplicateCustomers.map(([id, name], i) => (
              <span key={id}>
                {i > 0 ? ', ' : ''}
                <a href={`#/customers/${encodeURIComponent(String(id))}`}>{name}</a>
              </span>
            ))}
            .
          </p>
          <button type="button" onClick={() => onDeselect(duplicates.map((e) => String(e.id)))}>
            Untick the {DUPLICATE_INVALID} ones
          </button>
        </div>
      ) : null}
      {tooMany ? (
        <p className="field-error" role="alert">
          One change takes at most {BULK_LIMIT.toLocaleString('en')} entitlements; {count.toLocaleString('en')} are selected. Narrow the filters or untick some.
        </p>
      ) : null}
      <RoleLostNotice cannot="change statuses" fields={lost ? typed : []} />
      {/* A fieldset only to turn its controls read-only at once: no group of its own. */}
      <fieldset className="plain" disabled={lost} role="none">
        <StatusFieldset
          idPrefix="bulk"
          value={fields}
          onChange={(next) => {
            setFields(next);
            setConfirming(false);
          }}
          taxonomy={taxonomy.data}
          issues={issues}
          showIssues={tried}
          compact
        />
      </fieldset>
      <BulkRefusalMessage refusal={serverError} />
      {lost ? (
        <div className="actions">
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </div>
      ) : confirming ? (
        <div className="confirm-step" role="group" aria-labelledby="bulk-confirm-heading">
          <h3 id="bulk-confirm-heading" tabIndex={-1} ref={confirmHeading}>
            Change {plural(count, 'entitlement')} across {plural(customers, 'customer')}?
          </h3>
          <ul>
            {describeBulkChange(fields).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p className="small">They are saved together. There is no undo; each entitlement&apos;s history keeps what it was before.</p>
          <div className="actions">
            <BusyButton type="submit" className="primary" busy={busy}>
              {busy ? 'Saving…' : `Yes, change ${plural(count, 'entitlement')}`}
            </BusyButton>
            <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
              Go back
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <BusyButton type="submit" className="primary" busy={busy} disabled={!busy && tooMany}>
            {busy ? 'Saving…' : `Apply to ${count}`}
          </BusyButton>
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </div>
      )}
    </form>
  );
}

/**
 * Remembers the row link (or card link) a click follows, with the row's id and where the table's own
 * scroll box was, so Back to this address puts the focus back on it (`returnToLink` in PortfolioPage). A click
 * that opens a new tab or window leaves this page where it is: nothing to come back to.
 */
function noteFollowed(event: ReactMouseEvent<HTMLAnchorElement>, item: string, scrollTop = 0): void {
  if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  rememberFollowedLink({ href: event.currentTarget.getAttribute('href') ?? '', item, scrollTop });
}

/** The link to `link.href` inside the rendered item (row or card) `link.item` of `container`, if shown. */
function findLinkIn(container: HTMLElement | null, link: FollowedLink): HTMLElement | null {
  const item = [...(container?.querySelectorAll<HTMLElement>('[data-row-id]') ?? [])].find((e) => e.dataset.rowId === link.item);
  return [...(item?.querySelectorAll('a') ?? [])].find((a) => a.getAttribute('href') === link.href) ?? null;
}

function PortfolioTable({
  rows,
  sort,
  onSort,
  selected,
  allSelected,
  onToggle,
  onToggleAll,
  editable,
  returnTo,
  onReturned,
}: {
  rows: Entitlement[];
  sort: { key: SortKey; desc: boolean };
  onSort: (key: SortKey) => void;
  selected: Set<string>;
  /** Every row "select all" takes (all but the Duplicate/Invalid ones) is selected. */
  allSelected: boolean;
  onToggle: (id: string) => void;
  onToggleAll: () => void;
  editable: boolean;
  /** The row link followed from this address, once every row is loaded (`returnToLink` in PortfolioPage). */
  returnTo: FollowedLink | undefined;
  onReturned: () => void;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => parentRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  // Back to this address: the rows come back scrolled where they were and the link followed takes the
  // focus. Only the rows in view are rendered, so its row is scrolled into the box first.
  useEffect(() => {
    if (!returnTo) return;
    onReturned();
    const body = parentRef.current;
    const index = rows.findIndex((r) => String(r.id) === returnTo.item);
    if (index < 0 || !body) return forgetFollowedLink(returnTo);
    body.scrollTop = returnTo.scrollTop;
    // The row moved since (someone else's change reordered the list): the row itself, in the middle.
    const top = index * ROW_HEIGHT;
    if (top < body.scrollTop || top + ROW_HEIGHT > body.scrollTop + body.clientHeight) virtualizer.scrollToIndex(index, { align: 'center' });
    focusFollowedLink(returnTo, () => findLinkIn(body, returnTo));
    // Once, when the page hands the link over (with every row loaded).
  }, [returnTo]);
  return (
    <div className="vtable" role="table" aria-label="Entitlements" aria-rowcount={rows.length + 1}>
      <div role="rowgroup" className="vhead-group" style={{ minWidth: TABLE_MIN_WIDTH }}>
        <div className="vrow vhead" role="row" aria-rowindex={1} style={{ gridTemplateColumns: GRID }}>
          <div role="columnheader" className="cell">
            {editable ? <input type="checkbox" aria-label="Select all shown entitlements" checked={allSelected} onChange={onToggleAll} /> : null}
          </div>
          {COLUMNS.map((c) => (
            <div key={c.key} role="columnheader" className="cell" aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
              <button type="button" className="sort-button" onClick={() => onSort(c.key)}>
                {c.label}
                <span aria-hidden="true">{sort.key === c.key ? (sort.desc ? ' ▼' : ' ▲') : ''}</span>
              </button>
            </div>
          ))}
        </div>
      </div>
      <div ref={parentRef} className="vbody" role="rowgroup" tabIndex={0} aria-label="Entitlement rows, scrollable" style={{ minWidth: TABLE_MIN_WIDTH }}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            const id = String(row.id);
            return (
              <div
                key={id}
                className={`vrow ${toStatusClass(row.l1)}`}
                data-row-id={id}
                role="row"
                aria-rowindex={item.index + 2}
                style={{ gridTemplateColumns: GRID, transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              >
                <div role="cell" className="cell">
                  {editable ? (
                    <input type="checkbox" aria-label={`Select ${row.customerName} ${row.workloadName}${row.part ? ` ${row.part}` : ''}`} checked={selected.has(id)} onChange={() => onToggle(id)} />
                  ) : null}
                </div>
                {/* A cell cuts a long name with "…" (a part after it may not show at all): the whole text on hover. */}
                <div role="cell" className="cell" title={row.part ? `${row.customerName} · ${row.part}` : row.customerName}>
                  <a href={`#/customers/${encodeURIComponent(String(row.customerId))}`} onClick={(e) => noteFollowed(e, id, parentRef.current?.scrollTop)}>
                    {row.customerName}
                  </a>
                  {row.part ? <span className="muted"> · {row.part}</span> : null}
                </div>
                <div role="cell" className="cell">
                  <a href={`#/entitlements/${encodeURIComponent(id)}`} onClick={(e) => noteFollowed(e, id, parentRef.current?.scrollTop)}>
                    {row.workloadName}
                  </a>
                </div>
                <div role="cell" className="cell" title={row.note}>
                  <span className="status-dot" aria-hidden="true" /> {formatStatus(row.l1, row.l2)}
                </div>
                <div role="cell" className="cell" title={row.owner ?? undefined}>
                  {row.owner ?? <span className="muted">—</span>}
                </div>
                <div role="cell" className="cell num">{row.daysInStatus}</div>
                <div role="cell" className="cell">{row.updatedAt.slice(0, 10)}</div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

const BOARD_LIMIT = 60;

function PortfolioBoard({
  rows,
  l1Order,
  route,
  returnTo,
  onReturned,
}: {
  rows: Entitlement[];
  l1Order: string[];
  route: Route;
  /** The card link followed from this address, once every row is loaded (`returnToLink` in PortfolioPage). */
  returnTo: FollowedLink | undefined;
  onReturned: () => void;
}) {
  const boardRef = useRef<HTMLDivElement>(null);
  // Back to this address: the card followed takes the focus, when the board still shows it.
  useEffect(() => {
    if (!returnTo) return;
    onReturned();
    const board = boardRef.current;
    if (!findLinkIn(board, returnTo)) return forgetFollowedLink(returnTo);
    focusFollowedLink(returnTo, () => findLinkIn(board, returnTo));
  }, [returnTo]);
  const groups = useMemo(() => {
    const map = new Map<string, Entitlement[]>(l1Order.map((l1) => [l1, []]));
    for (const row of rows) {
      const list = map.get(row.l1) ?? [];
      list.push(row);
      map.set(row.l1, list);
    }
    return [...map.entries()];
  }, [rows, l1Order]);
  return (
    <div className="board" ref={boardRef}>
      {groups.map(([l1, list]) => (
        <section key={l1} className={`board-column ${toStatusClass(l1)}`} aria-labelledby={`board-${toStatusClass(l1)}`}>
          <h2 id={`board-${toStatusClass(l1)}`}>
            {l1} <span className="badge">{list.length}</span>
          </h2>
          {list.length === 0 ? <p className="muted small">None.</p> : null}
          <ul>
            {list.slice(0, BOARD_LIMIT).map((row) => (
              <li key={row.id} className="board-card" data-row-id={row.id}>
                <a href={`#/entitlements/${encodeURIComponent(String(row.id))}`} onClick={(e) => noteFollowed(e, String(row.id))}>
                  <strong>{row.customerName}</strong> · {row.workloadName}
                  {row.part ? ` · ${row.part}` : ''}
                </a>
                <div className="small">{row.l2 ?? '—'}</div>
                <div className="muted small">{row.daysInStatus} days</div>
              </li>
            ))}
          </ul>
          {list.length > BOARD_LIMIT ? (
            <button type="button" className="button-link" onClick={() => updateQuery(route, { view: 'table', l1 }, 'push')}>
              Show all {list.length} in the table
            </button>
          ) : null}
        </section>
      ))}
    </div>
  );
}

interface SavedView {
  name: string;
  href: string;
}

/**
 * The signed-in user's saved views. Views saved before they were kept per user (under the bare key)
 * go to the first user who opens the portfolio, once.
 */
function readSavedViews(key: string): SavedView[] {
  try {
    let raw = localStorage.getItem(key);
    const shared = localStorage.getItem(VIEWS_KEY);
    if (raw === null && shared !== null) {
      localStorage.setItem(key, shared);
      localStorage.removeItem(VIEWS_KEY);
      raw = shared;
    }
    const views: unknown = JSON.parse(raw ?? '[]');
    return Array.isArray(views) ? (views as SavedView[]) : [];
  } catch {
    return [];
  }
}

function SavedViews({ route, userId }: { route: Route; userId: number | null }) {
  const key = `${VIEWS_KEY}.${userId ?? 'system'}`;
  const [views, setViews] = useState<SavedView[]>(() => readSavedViews(key));
  const [name, setName] = useState('');
  /**
   * What the last Save view did, said in words: a press with no name used to do nothing visible, so a
   * keyboard or screen reader user could not tell whether the view was kept.
   */
  const [said, setSaid] = useState<{ error: string } | { done: string }>();
  const store = (next: SavedView[]) => {
    setViews(next);
    localStorage.setItem(key, JSON.stringify(next));
  };
  const save = () => {
    const wanted = name.trim();
    if (!wanted) {
      setSaid({ error: 'Give the view a name to save it.' });
      document.getElementById('view-name')?.focus();
      return;
    }
    // A name used before (in any case) is the same view saved again: the list would show two alike.
    const same = (v: SavedView) => v.name.toLocaleLowerCase() === wanted.toLocaleLowerCase();
    const replaced = views.some(same);
    store([...views.filter((v) => !same(v)), { name: wanted, href: toHref(route.path, Object.fromEntries(route.query)) }]);
    setName('');
    setSaid({ done: replaced ? `Saved the view “${wanted}”; it replaced the older view of that name.` : `Saved the view “${wanted}”.` });
  };
  const error = said && 'error' in said ? said.error : undefined;
  return (
    <details className="saved-views">
      <summary>Saved views ({views.length})</summary>
      <p className="muted small">The address bar always holds the current view; bookmark or share it, or save it here.</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <label htmlFor="view-name">Name this view</label>{' '}
        <input
          id="view-name"
          value={name}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'view-name-error' : undefined}
          onChange={(e) => {
            setName(e.target.value);
            if (error) setSaid(undefined);
          }}
        />{' '}
        <button type="submit">Save view</button>
        <div aria-live="polite">
          {error ? (
            <p id="view-name-error" className="field-error">
              {error}
            </p>
          ) : null}
          {said && 'done' in said ? (
            <p className="muted small" role="status">
              {said.done}
            </p>
          ) : null}
        </div>
      </form>
      <ul>
        {views.map((v) => (
          <li key={v.name}>
            <a href={v.href}>{v.name}</a>{' '}
            <button type="button" className="button-link" onClick={() => store(views.filter((x) => x.name !== v.name))} aria-label={`Delete view ${v.name}`}>
              Delete
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}

interface PortfolioData {
  status: 'loading' | 'ok' | 'error';
  data?: { items: Entitlement[]; total: number };
  /** Rows loaded so far; equals the total once every page arrived. */
  loaded: number;
  /** True once the last page arrived (or the first page was all there is). */
  done: boolean;
  /** The server sort (`sort:order`) the rows in `data` were loaded in. */
  loadedSort?: string;
  /** The query (as {@link toQueryKey}) the rows in `data` were loaded for. */
  loadedKey?: string;
  error?: Error;
  reload: () => void;
}

/** True when Min days is above Max days: nothing can match, and the server refuses the pair. */
function contradictingDays(filters: { minDays?: string | undefined; maxDays?: string | undefined }): boolean {
  return filters.minDays !== undefined && filters.maxDays !== undefined && Number(filters.minDays) > Number(filters.maxDays);
}

/** The key of a list query: equal keys load the same rows. */
function toQueryKey(query: Record<string, string | undefined> | undefined): string {
  return JSON.stringify(query ?? null);
}

/** `sort:order`, the key of a server sort. */
function toSortKey(sort: { sort: string; order: string }): string {
  return `${sort.sort}:${sort.order}`;
}

/** True when the list holds only the first rows of a longer result (see MAX_STREAMED_ROWS). */
function isCapped(data: PortfolioData): boolean {
  return !!data.data && data.data.total > MAX_STREAMED_ROWS;
}

/**
 * Loads the filtered portfolio page by page, in the server's order for the current sort, so the first
 * rows show (and are usable) while the rest stream in. With every row loaded, a new sort re-sorts them
 * in the browser, no reload; when the result is capped (more rows than MAX_STREAMED_ROWS), the loaded
 * rows are only the first ones in the old order, so a new sort loads again in the new order.
 * While a new query loads, the previous rows stay (`loaded` is 0: they no longer match); an error or an
 * undefined `query` (filters not checked yet) clears them.
 */
function usePortfolioData(query: Record<string, string | undefined> | undefined, sort: { sort: string; order: string }): PortfolioData {
  const [state, setState] = useState<Omit<PortfolioData, 'reload'>>({ status: 'loading', loaded: 0, done: false });
  const [tick, setTick] = useState(0);
  const sortRef = useRef(sort);
  sortRef.current = sort;
  /** The sort of the request under way or last made. */
  const requestedSort = useRef<string | undefined>(undefined);
  const key = toQueryKey(query);
  const sortKey = toSortKey(sort);
  const capped = !!state.data && state.data.total > MAX_STREAMED_ROWS;
  useEffect(() => {
    if (capped && requestedSort.current !== undefined && requestedSort.current !== sortKey) setTick((t) => t + 1);
  }, [sortKey, capped]);
  useEffect(() => {
    if (!query) {
      requestedSort.current = undefined;
      setState({ status: 'loading', loaded: 0, done: false });
      return;
    }
    const requested = toSortKey(sortRef.current);
    requestedSort.current = requested;
    // Min days above Max days matches nothing (the server refuses the pair, 400 BAD_ARGUMENTS): the
    // empty list is shown without asking, next to the hint that says why.
    if (contradictingDays(query)) {
      setState({ status: 'ok', data: { items: [], total: 0 }, loaded: 0, done: true, loadedSort: requested, loadedKey: key });
      return;
    }
    const controller = new AbortController();
    setState((prev) => ({ status: 'loading', loaded: 0, done: false, data: prev.data, loadedSort: prev.loadedSort }));
    api
      .streamEntitlements(
        { ...query, ...sortRef.current },
        (items, total) => {
          if (!controller.signal.aborted) setState({ status: 'ok', data: { items: [...items], total }, loaded: items.length, done: false, loadedSort: requested, loadedKey: key });
        },
        controller.signal,
      )
      .then(() => {
        if (!controller.signal.aborted) setState((prev) => ({ ...prev, done: true }));
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', loaded: 0, done: true, error: error as Error });
      });
    return () => controller.abort();
  }, [key, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

/** The result line: loading progress, the count, or how many of the matches were loaded when there are too many. */
function describeLoad(data: PortfolioData): string {
  if (data.status === 'error') return 'Not loaded (see the error below).';
  // No rows yet, or the previous query's rows while the new one loads.
  if (!data.data || (data.status === 'loading' && data.loaded === 0)) return 'Loading…';
  const { total } = data.data;
  const expected = Math.min(total, MAX_STREAMED_ROWS);
  if (!data.done && data.loaded < expected) return `Loading… ${data.loaded.toLocaleString()} of ${expected.toLocaleString()}`;
  if (data.loaded < total) return `Showing the first ${data.loaded.toLocaleString()} of ${total.toLocaleString()} entitlement(s); narrow the filters to see the rest (Export CSV has them all).`;
  return `${total.toLocaleString()} entitlement(s)`;
}

/** The portfolio: every visible entitlement as a virtualised table or a board by L1, filtered from the URL. */
export default function PortfolioPage({ route }: { route: Route }) {
  const { me } = useSession();
  const editable = canEdit(me.role);
  const taxonomy = useTaxonomy();
  const workloads = useWorkloads();
  const partners = usePartners();
  // Labels of an older playbook that entitlements in scope still carry (the counts report counts stored
  // labels): the L1 and L2 filters offer them, and an address naming one keeps it, as the server filters by them.
  const counts = useAsync((signal) => api.getReport<CountsReport>('counts', { by: 'l2' }, signal), []);
  const retired = useMemo(
    () => (counts.status === 'error' ? null : taxonomy.data && counts.data ? findRetiredLabels(taxonomy.data, counts.data.rows) : undefined),
    [taxonomy.data, counts.data, counts.status],
  );
  const checked = checkPortfolioFilters(readFilters(route), {
    taxonomy: taxonomy.error ? null : taxonomy.data,
    workloads: workloads.error ? null : workloads.data,
    retired,
    partners: partners.error ? null : partners.data,
  });
  const filters = checked.filters;
  /** New customer: an admin's portfolio filtered by partner starts the form with that partner chosen. */
  const newCustomerHref = toHref('/customers/new', { partnerId: me.role === 'admin' ? filters.partnerId : undefined });
  const sort = readSort(route);
  const view = route.query.get('view') === 'board' ? 'board' : 'table';
  const addressQ = filters.q ?? '';
  const [q, setQ] = useState(addressQ);
  const debouncedQ = useDebounced(q, 300);
  /** The text last taken from the address or written to it: an address that differs came from elsewhere. */
  const syncedQ = useRef(addressQ);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);
  const [notice, setNotice] = useState<BulkOutcome>();
  const [urlNotice, setUrlNotice] = useState<string>();
  /** Set when "select all" left Duplicate/Invalid rows out. */
  const [leftOutNotice, setLeftOutNotice] = useState<string>();
  /** Set when selected rows were unticked because the list no longer shows them. */
  const [unselectNotice, setUnselectNotice] = useState<string>();
  /** The Owner box as typed; it reaches the address (and the server) on Enter, on leaving the box, or when a name is picked from the list. */
  const addressOwner = filters.owner ?? '';
  const [owner, setOwner] = useState(addressOwner);
  /** Every owner of the rows loaded since the page opened, for the Owner box's list (an owner filter alone would leave one). */
  const seenOwners = useRef(new Set<string>());
  /**
   * The row (or card) link followed from this address, when Back (or Forward) brought the page back:
   * once every row has loaded, the table or board gives it the focus (the heading has it until then),
   * as Reports does for its data table's links; when the row is no longer listed, the heading keeps it.
   */
  const [returnToLink, setReturnToLink] = useState(() => findFollowedLink(window.location.hash));

  // Invalid filters in the address (edited, or from an old bookmark) are dropped from it, with a notice,
  // and known ones are respelled as the controls show them; only checked filters reach the server.
  const checkedKey = checked.pending || !checked.changed ? '' : JSON.stringify(checked.filters);
  useEffect(() => {
    if (!checkedKey) return;
    if (checked.dropped.length > 0) setUrlNotice(`Ignored from the address: ${describeDroppedFilters(checked.dropped)}.`);
    const patch: Record<string, string | undefined> = {};
    for (const key of FILTER_KEYS) patch[key] = checked.filters[key];
    updateQuery(route, patch, 'replace');
    // checked and route are read fresh each render; only a new set of checked filters triggers this.
  }, [checkedKey]);

  useEffect(() => {
    if (addressQ === debouncedQ) return;
    syncedQ.current = debouncedQ;
    updateQuery(route, { q: debouncedQ || undefined }, 'replace');
    // route and addressQ are read fresh each render; only the debounced text triggers this.
  }, [debouncedQ]);

  // Back, Forward or a link with another q: the box shows the address's text. The echo of what was
  // typed is not taken back, so letters typed since the last pause are kept.
  useEffect(() => {
    if (addressQ === syncedQ.current) return;
    syncedQ.current = addressQ;
    setQ(addressQ);
  }, [addressQ]);

  // The Owner box shows the owner in the address whenever it changes (applied, Back, Forward, Clear filters, a link).
  useEffect(() => setOwner(addressOwner), [addressOwner]);

  const ready = !checked.pending && !checked.changed;
  const serverQuery = useMemo(() => (ready ? { ...filters } : undefined), [route.query.toString(), ready]);
  const serverSort = SERVER_SORT[sort.key](sort.desc);
  const data = usePortfolioData(serverQuery, serverSort);
  const stale = data.status === 'loading' && data.loaded === 0 && !!data.data;
  // A capped list loaded in this sort is already in the server's order, the order of Export CSV.
  const inServerOrder = isCapped(data) && data.loadedSort === toSortKey(serverSort);

  const sorted = useMemo(() => {
    const items = data.data?.items ?? [];
    if (inServerOrder) return items;
    // In the server's order (web/src/lib/server-order.ts), so the list on screen is the one Export CSV writes.
    return [...items].sort(serverOrder(sort.key, sort.desc));
  }, [data.data, sort.key, sort.desc, inServerOrder]);

  const selectAll = useMemo(() => selectAllShown(sorted), [sorted]);
  const allSelected = selectAll.ids.length > 0 && selectAll.ids.every((id) => selected.has(id));
  /** The selected rows on screen: what a bulk change acts on and what its button counts. */
  const selectedRows = useMemo(() => sorted.filter((r) => selected.has(String(r.id))), [sorted, selected]);
  /** True once every row of the current filters has loaded: a selected row missing now is not shown by them. */
  const listComplete = data.status === 'ok' && data.done && data.loadedKey === toQueryKey(serverQuery);

  // The selection keeps only rows on screen: once the list for new filters (or a new order of a capped
  // list) has loaded, rows it no longer shows are unticked, with a notice, so the count on the bulk
  // button is what a change would act on, and nothing hidden is changed.
  useEffect(() => {
    if (!listComplete || selected.size === 0) return;
    const shown = new Set(sorted.map((r) => String(r.id)));
    const hidden = [...selected].filter((id) => !shown.has(id)).length;
    if (hidden === 0) return;
    const kept = new Set([...selected].filter((id) => shown.has(id)));
    setSelected(kept);
    if (kept.size === 0) setLeftOutNotice(undefined);
    setUnselectNotice(`Unticked ${plural(hidden, 'selected entitlement')} that ${hidden === 1 ? 'is' : 'are'} not shown with these filters. A status change acts only on ticked rows you can see.`);
    // selected is read fresh; only a newly completed list triggers this.
  }, [listComplete, sorted]);

  // The bulk panel acts on the selected rows shown: with none (or in the board, which has no checkboxes) it closes, and does not come back on its own.
  useEffect(() => {
    if (selectedRows.length === 0) setBulkOpen(false);
  }, [selectedRows.length]);
  useEffect(() => setBulkOpen(false), [view]);

  const daysContradict = contradictingDays(filters);
  const owners = useMemo(() => {
    for (const row of data.data?.items ?? []) if (row.owner) seenOwners.current.add(row.owner);
    return [...seenOwners.current].sort((a, b) => a.localeCompare(b));
  }, [data.data]);
  const l1Order = taxonomy.data?.l1s.map((n) => n.name) ?? [];
  const l2Options = filters.l1 ? listL2s(taxonomy.data, filters.l1) : (taxonomy.data?.codes.filter((c) => c.l2).map((c) => c.l2 as string) ?? []);
  const retiredL1s = [...new Set((retired ?? []).map((r) => r.l1))].filter((l1) => !l1Order.includes(l1));
  const retiredL2sOf = (l1: string | undefined) => [...new Set((retired ?? []).filter((r) => r.l2 !== null && (l1 === undefined || r.l1 === l1)).map((r) => r.l2 as string))];
  const retiredL2s = retiredL2sOf(filters.l1).filter((l2) => !l2Options.includes(l2));

  /** A filter chosen from a list (or applied) is a step Back undoes (`push`); typing in a box replaces the entry. */
  const setFilter = (key: FilterKey, value: string, mode: HistoryMode) => {
    setUrlNotice(undefined);
    const patch: Record<string, string | undefined> = { [key]: value || undefined };
    if (key === 'l1' && filters.l2 && !listL2s(taxonomy.data, value).includes(filters.l2) && !retiredL2sOf(value || undefined).includes(filters.l2)) patch.l2 = undefined;
    updateQuery(route, patch, mode);
  };
  /** Applies the Owner box: a whole name, matched ignoring case. */
  const applyOwner = (value: string) => {
    const next = value.trim();
    setOwner(next);
    if (next !== addressOwner) setFilter('owner', next, 'push');
  };

  const exportQuery = { ...filters, ...SERVER_SORT[sort.key](sort.desc) };
  const exportCsv = useDownload('The CSV export', EXPORT_FALLBACK_NAME);
  const exportHref = getExportUrl(exportQuery);
  // A failed export's message is about the filters it was made with: other filters, another export.
  // Only when the address changed: the effect runs again too when the page shows after being kept hidden
  // under "Choose your own password", where an export that failed meanwhile is said.
  const dismissExportError = exportCsv.dismiss;
  const exportHrefShown = useRef(exportHref);
  useEffect(() => {
    if (exportHrefShown.current === exportHref) return;
    exportHrefShown.current = exportHref;
    dismissExportError();
  }, [exportHref, dismissExportError]);
  const closeBulk = useCallback(() => setBulkOpen(false), []);
  /** True once a lowered role closed the bulk panel (nothing was filled in), until the role allows it again or the notice is dismissed. */
  const [bulkClosedForRole, setBulkClosedForRole] = useState(false);
  const closeBulkForRole = useCallback(() => {
    setBulkOpen(false);
    setBulkClosedForRole(true);
  }, []);
  // Given the role back, the notice no longer holds.
  useEffect(() => {
    if (editable) setBulkClosedForRole(false);
  }, [editable]);

  return (
    <div className="page portfolio">
      <div className="page-head">
        <h1>Portfolio</h1>
        <div className="view-switch" role="group" aria-label="View">
          <button type="button" aria-pressed={view === 'table'} onClick={() => updateQuery(route, { view: undefined }, 'push')}>
            Table
          </button>
          <button type="button" aria-pressed={view === 'board'} onClick={() => updateQuery(route, { view: 'board' }, 'push')}>
            Board by L1
          </button>
        </div>
      </div>
      <form className="filters card" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <div className="field field-search">
          <label htmlFor="f-q">Search</label>
          <input id="f-q" type="search" maxLength={200} value={q} onChange={(e) => setQ(e.target.value)} placeholder="Customer, tenant, note" />
        </div>
        <div className="field">
          <label htmlFor="f-l1">L1</label>
          <select id="f-l1" value={filters.l1 ?? ''} onChange={(e) => setFilter('l1', e.target.value, 'push')}>
            <option value="">All</option>
            {l1Order.map((l1) => (
              <option key={l1}>{l1}</option>
            ))}
            <OlderLabels labels={retiredL1s} />
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-l2">L2</label>
          <select id="f-l2" value={filters.l2 ?? ''} onChange={(e) => setFilter('l2', e.target.value, 'push')}>
            <option value="">All</option>
            {l2Options.map((l2) => (
              <option key={l2}>{l2}</option>
            ))}
            <OlderLabels labels={retiredL2s} />
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-workload">Workload</label>
          <select id="f-workload" value={filters.workload ?? ''} onChange={(e) => setFilter('workload', e.target.value, 'push')}>
            <option value="">All</option>
            {(workloads.data ?? []).map((w) => (
              <option key={w.slug} value={w.slug}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-owner">
            Owner <span className="muted small">(whole name)</span>
          </label>
          <input
            id="f-owner"
            list="owner-list"
            maxLength={200}
            value={owner}
            placeholder="Name + Enter"
            aria-describedby="owner-hint"
            onChange={(e) => {
              setOwner(e.target.value);
              // A name picked from the list applies at once; typed text waits for Enter or leaving the box.
              // Browsers report a pick as a replacement (Chromium, Firefox) or as a plain event, not as typing.
              const native = e.nativeEvent;
              const picked = !(native instanceof InputEvent) || native.inputType === 'insertReplacementText';
              if (picked && owners.includes(e.target.value)) applyOwner(e.target.value);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                applyOwner(owner);
              } else if (e.key === 'Escape') {
                setOwner(addressOwner);
              }
            }}
            onBlur={() => {
              // Not when the portfolio is being left (a blur as the page goes): that would bring it back.
              if (parseHash(window.location.hash).path === route.path) applyOwner(owner);
            }}
          />
          <span id="owner-hint" className="visually-hidden">
            Matches a whole owner name, ignoring case: part of a name matches nobody. Applies when you press Enter, pick a name from the list or leave the box.
          </span>
          <datalist id="owner-list">
            {owners.map((o) => (
              <option key={o} value={o} />
            ))}
          </datalist>
        </div>
        {(partners.data?.length ?? 0) > 1 ? (
          <div className="field">
            <label htmlFor="f-partner">Partner</label>
            <select id="f-partner" value={filters.partnerId ?? ''} onChange={(e) => setFilter('partnerId', e.target.value, 'push')}>
              <option value="">All</option>
              {(partners.data ?? []).map((p) => (
                <option key={p.id} value={String(p.id)}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field narrow">
          <label htmlFor="f-min">Min days</label>
          <input
            id="f-min"
            type="number"
            min={0}
            value={filters.minDays ?? ''}
            onChange={(e) => setFilter('minDays', e.target.value, 'replace')}
            aria-describedby={daysContradict ? 'days-hint' : undefined}
          />
        </div>
        <div className="field narrow">
          <label htmlFor="f-max">Max days</label>
          <input
            id="f-max"
            type="number"
            min={0}
            value={filters.maxDays ?? ''}
            onChange={(e) => setFilter('maxDays', e.target.value, 'replace')}
            aria-describedby={daysContradict ? 'days-hint' : undefined}
          />
        </div>
        {daysContradict ? (
          <p id="days-hint" className="field-warning days-hint">
            Min days ({filters.minDays}) is more than Max days ({filters.maxDays}), so nothing can match: lower Min days or raise Max days.
          </p>
        ) : null}
        <div className="field actions-field">
          <button type="button" onClick={() => { setQ(''); goTo(toHref(route.path, view === 'board' ? { view } : {}), 'push'); }}>
            Clear filters
          </button>
        </div>
      </form>
      <div className="toolbar">
        <span role="status" aria-live="polite" className="result-count">
          {describeLoad(data)}
        </span>
        {daysContradict ? (
          // Nothing to export, and the server would refuse the pair: no address, the hint above says why.
          // Still in the Tab order, as an unavailable link described by the hint, where the export was.
          <a className="button" role="link" tabIndex={0} aria-disabled="true" aria-describedby="days-hint">
            Export CSV
          </a>
        ) : (
          <DownloadLink id="export-csv" href={exportHref} state={exportCsv}>
            Export CSV
          </DownloadLink>
        )}
        {canManageCustomers(me.role) ? (
          <a className="button" href={newCustomerHref}>
            New customer
          </a>
        ) : null}
        {/* The board has no checkboxes: selecting and changing in bulk happen in the table. */}
        {editable && view === 'table' ? (
          <button type="button" id={BULK_OPEN_ID} disabled={selectedRows.length === 0} onClick={() => setBulkOpen(true)}>
            Change status of {selectedRows.length} selected
          </button>
        ) : null}
        {selected.size > 0 && view === 'table' ? (
          <button
            type="button"
            className="button-link"
            onClick={() => {
              setSelected(new Set());
              setLeftOutNotice(undefined);
              setUnselectNotice(undefined);
            }}
          >
            Clear selection
          </button>
        ) : null}
        <SavedViews route={route} userId={me.id} />
      </div>
      <DownloadError id="export-csv" state={exportCsv} />
      {urlNotice ? <Notice className="notice url-notice" text={urlNotice} onDismiss={() => setUrlNotice(undefined)} /> : null}
      {leftOutNotice ? <Notice className="notice left-out-notice" text={leftOutNotice} onDismiss={() => setLeftOutNotice(undefined)} /> : null}
      {unselectNotice ? <Notice className="notice unselect-notice" text={unselectNotice} onDismiss={() => setUnselectNotice(undefined)} /> : null}
      {notice ? (
        <div className="notice bulk-outcome">
          <p role="status">
            {notice.text}{' '}
            <button type="button" className="button-link" onClick={() => setNotice(undefined)}>
              Dismiss
            </button>
          </p>
          <IssueGroups groups={notice.warnings} label="Warnings, one line per kind; open one to see the entitlements" />
        </div>
      ) : null}
      {/* In the page before its words, so that they are read out when a lowered role closes the bulk panel. */}
      <div role="status" id="bulk-closed-status">
        {bulkClosedForRole && !editable ? (
          <p className="notice bulk-closed-notice">
            Change status closed: your role is now {me.role}, which cannot change statuses. Nothing had been filled in, so nothing was lost; a manager can give you back the
            right to change statuses.{' '}
            <button
              type="button"
              className="button-link"
              onClick={() => {
                setBulkClosedForRole(false);
                // The button goes with the notice: the heading is where the page starts again.
                focusAfterClose(undefined, false);
              }}
            >
              Dismiss
            </button>
          </p>
        ) : null}
      </div>
      {bulkOpen && view === 'table' && selectedRows.length > 0 ? (
        <BulkPanel
          selected={selectedRows}
          allowed={editable}
          onCancel={closeBulk}
          onClosedForRole={closeBulkForRole}
          onDeselect={(ids) =>
            setSelected((prev) => {
              const next = new Set(prev);
              for (const id of ids) next.delete(id);
              return next;
            })
          }
          onDone={(outcome) => {
            setBulkOpen(false);
            setSelected(new Set());
            setLeftOutNotice(undefined);
            setNotice(outcome);
            data.reload();
          }}
        />
      ) : null}
      {data.status === 'error' && data.error ? <ErrorMessage error={data.error} onRetry={data.reload} /> : null}
      {data.status === 'loading' && !data.data ? <Loading label="Loading the portfolio…" /> : null}
      {data.data && sorted.length === 0 ? (
        Object.values(filters).some(Boolean) ? (
          <Empty>No entitlement matches these filters. Clear a filter to see more.</Empty>
        ) : (
          // Nothing to filter: a new partner has no customers yet, which no filter can change.
          <Empty>
            {canManageCustomers(me.role) ? (
              <>
                No entitlements yet. Add a customer with <a href={newCustomerHref}>New customer</a>, or bring in a CSV file on the{' '}
                <a href="#/import">Import</a> page.
              </>
            ) : (
              'No entitlements yet: a manager adds the customers.'
            )}
          </Empty>
        )
      ) : null}
      {data.data && sorted.length > 0 ? (
        <div className={stale ? 'stale' : undefined} aria-busy={stale || undefined}>
        {view === 'board' ? (
          <PortfolioBoard rows={sorted} l1Order={l1Order} route={route} returnTo={listComplete ? returnToLink : undefined} onReturned={() => setReturnToLink(undefined)} />
        ) : (
          <PortfolioTable
            rows={sorted}
            sort={sort}
            editable={editable}
            returnTo={listComplete ? returnToLink : undefined}
            onReturned={() => setReturnToLink(undefined)}
            onSort={(key) => updateQuery(route, { sort: sort.key === key && !sort.desc ? `-${key}` : key }, 'push')}
            selected={selected}
            allSelected={allSelected}
            onToggle={(id) =>
              setSelected((prev) => {
                const next = new Set(prev);
                if (next.has(id)) next.delete(id);
                else next.add(id);
                return next;
              })
            }
            onToggleAll={() => {
              // Duplicate/Invalid rows are left out: such a customer leaves that status as a whole, from its page.
              if (allSelected) {
                setSelected(new Set());
                setLeftOutNotice(undefined);
              } else {
                setSelected(new Set(selectAll.ids));
                setLeftOutNotice(describeLeftOut(selectAll.leftOut));
              }
            }}
          />
        )}
        </div>
      ) : null}
    </div>
  );
}

/** Labels of an older playbook that rows still carry, as a group of a filter's options. */
function OlderLabels({ labels }: { labels: string[] }) {
  if (labels.length === 0) return null;
  return (
    <optgroup label="No longer in the playbook">
      {labels.map((label) => (
        <option key={label}>{label}</option>
      ))}
    </optgroup>
  );
}
