import { Fragment, useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, readConflictCurrent, readViolations, type Entitlement, type HistoryEntry, type RuleIssue, type StatusFields } from '../api/client.js';
import { BusyButton } from '../components/busy-button.js';
import { canEdit, useSession } from '../components/session.js';
import { Empty, ErrorMessage, isNotFound, Loading, NotFoundState, ServerRefusal } from '../components/states.js';
import { RoleLostNotice, useRoleLost } from '../components/role-lost.js';
import { STATUS_FIELD_LABELS, STATUS_FIELD_ORDER, StatusFieldset, toFieldId } from '../components/status-fields.js';
import { focusWhenShown } from '../lib/focus.js';
import { formatDateTime, formatStatus, toIsoDate, toStatusClass } from '../lib/format.js';
import { useTaxonomy } from '../lib/reference-data.js';
import { navigate, toHref, useLeaveGuard, type Route } from '../lib/router.js';
import { checkStatus, checkStoredDates, describeStatusRules, lapsedTargetMessage, rulesL1Of, toStatusChange, type StatusIssue } from '../lib/rules.js';
import { useAsync } from '../lib/use-async.js';
import { useBeforeUnloadWarning } from '../lib/use-before-unload.js';

const DUPLICATE_INVALID = 'Duplicate/Invalid';
const IN_PROGRESS = 'In Progress';
/** The query keys Triage's Apply puts in the address to prefill the form. */
const PREFILL_KEYS = ['l1', 'l2', 'note'] as const;
/** The id prefix of the status form's fields. */
const FORM = 'status';

const FIELD_LABELS: Record<keyof StatusFields, string> = {
  l1: 'L1',
  l2: 'L2',
  note: 'Note',
  targetDate: 'Target date',
  engagementStartDate: 'Engagement start',
  businessReason: 'Business reason',
  owner: 'Owner',
  nextAction: 'Next action',
  nextActionDate: 'Next action date',
  projectedUnblockDate: 'Projected unblock',
};
const FIELDS = Object.keys(FIELD_LABELS) as (keyof StatusFields)[];

/** The editable fields of an entitlement. */
export function pickStatus(e: Entitlement): StatusFields {
  return {
    l1: e.l1,
    l2: e.l2,
    note: e.note ?? '',
    targetDate: e.targetDate,
    engagementStartDate: e.engagementStartDate,
    businessReason: e.businessReason,
    owner: e.owner,
    nextAction: e.nextAction,
    nextActionDate: e.nextActionDate,
    projectedUnblockDate: e.projectedUnblockDate,
  };
}

/** Field names whose values differ between two statuses (null, undefined and '' are equal). */
export function diffStatus(a: Partial<StatusFields> | null | undefined, b: Partial<StatusFields> | null | undefined): (keyof StatusFields)[] {
  return FIELDS.filter((f) => (a?.[f] ?? '') !== (b?.[f] ?? ''));
}

function show(value: unknown): string {
  return value === null || value === undefined || value === '' ? '—' : String(value);
}

function Timeline({ entries }: { entries: HistoryEntry[] }) {
  if (entries.length === 0) return <Empty>No history yet.</Empty>;
  return (
    <ol className="timeline" aria-label="Status history, newest first">
      {entries.map((entry) => {
        const changed = diffStatus(entry.before, entry.after);
        return (
          <li key={entry.id} className={`timeline-item ${toStatusClass(entry.after.l1)}`}>
            <div className="timeline-head">
              <time dateTime={entry.changedAt}>{formatDateTime(entry.changedAt)}</time> · {entry.changedByName || 'system'}
              {/* A space, not only the badge's margin: read out, the kind is a word of its own ("system create", not "systemcreate"). */}
              {entry.kind && entry.kind !== 'update' ? <> <span className="badge">{entry.kind}</span></> : null}
              {entry.before && typeof entry.daysInPrevious === 'number' && entry.before.l1 !== entry.after.l1 ? (
                <span className="muted"> · after {entry.daysInPrevious} day(s)</span>
              ) : null}
            </div>
            <div className="timeline-status">
              {entry.before && (entry.before.l1 !== entry.after.l1 || entry.before.l2 !== entry.after.l2) ? (
                <>
                  <span className="muted">{formatStatus(entry.before.l1, entry.before.l2)}</span> → <strong>{formatStatus(entry.after.l1, entry.after.l2)}</strong>
                </>
              ) : (
                <strong>{formatStatus(entry.after.l1, entry.after.l2)}</strong>
              )}
              {entry.noteGrade ? (
                <span className={`grade grade-${entry.noteGrade.toLowerCase()}`} title="Note grade at the time">
                  <span className="visually-hidden">Note grade </span>
                  {entry.noteGrade}
                </span>
              ) : null}
            </div>
            {entry.before && changed.length > 0 ? (
              <dl className="changes">
                {changed.map((f) => (
                  <div key={f}>
                    <dt>{FIELD_LABELS[f]}</dt>
                    <dd>
                      <del>{show(entry.before?.[f])}</del> <ins>{show(entry.after[f])}</ins>
                    </dd>
                  </div>
                ))}
              </dl>
            ) : entry.after.note ? (
              <p className="small">{entry.after.note}</p>
            ) : null}
            {entry.suggestion ? (
              <p className="muted small">
                Classifier {entry.suggestion.abstained ? 'was unsure; best guess' : 'suggested'} {formatStatus(entry.suggestion.l1, entry.suggestion.l2)} ({Math.round(entry.suggestion.confidence * 100)}%).
              </p>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

/**
 * Who saved the version that beat this page's save: `self` when it was the signed-in user (another tab
 * or window), else the name from the history entry of that save when it is known.
 */
export function describeConflictAuthor(theirs: Pick<Entitlement, 'updatedBy' | 'updatedAt'>, myId: number | null, history: readonly Pick<HistoryEntry, 'changedBy' | 'changedByName' | 'changedAt'>[] | undefined): { self: boolean; name: string | undefined } {
  if (theirs.updatedBy !== null && theirs.updatedBy === myId) return { self: true, name: undefined };
  // The newest entry by the same user is the save that changed this version (history is newest first).
  const entry = history?.find((h) => h.changedBy === theirs.updatedBy);
  const name = theirs.updatedBy === null ? 'An import or the system' : entry?.changedByName || undefined;
  return { self: false, name };
}

function ConflictPanel({ mine, theirs, onReload, onOverwrite, busy, myId }: { mine: StatusFields; theirs: Entitlement; onReload: () => void; onOverwrite: () => void; busy: boolean; myId: number | null }) {
  const differing = diffStatus(mine, pickStatus(theirs));
  // The history names who saved; fetched again here, as the page's copy predates their save.
  const history = useAsync(() => api.listHistory(theirs.id), [theirs.id, theirs.version]);
  const author = describeConflictAuthor(theirs, myId, history.data?.items);
  const when = `${formatDateTime(theirs.updatedAt)} (version ${theirs.version})`;
  return (
    <section className="card conflict" role="alert" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading">{author.self ? 'You saved this elsewhere first' : 'Someone else saved first'}</h2>
      <p>
        {author.self
          ? `You changed this in another tab or window at ${when}.`
          : `${author.name ?? 'Another user'} changed this entitlement at ${when}.`}{' '}
        Your change here was not saved.
      </p>
      {differing.length > 0 ? (
        <table className="compare">
          <caption className="visually-hidden">The saved values and yours</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">{author.self ? 'Saved (other tab)' : 'Theirs (saved)'}</th>
              <th scope="col">Yours (not saved)</th>
            </tr>
          </thead>
          <tbody>
            {differing.map((f) => (
              <tr key={f}>
                <th scope="row">{FIELD_LABELS[f]}</th>
                <td>{show(pickStatus(theirs)[f])}</td>
                <td>{show(mine[f])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>The saved values are the same as yours.</p>
      )}
      <div className="actions">
        <button type="button" onClick={onReload} disabled={busy}>
          {author.self ? 'Discard these edits and load the saved ones' : 'Discard mine and load theirs'}
        </button>
        <button type="button" className="danger" onClick={onOverwrite} disabled={busy}>
          {author.self ? 'Overwrite the saved ones with these' : 'Overwrite theirs with mine'}
        </button>
      </div>
    </section>
  );
}

/**
 * The Duplicate/Invalid rule as it applies to this entitlement: one that is Duplicate/Invalid may stay
 * so with a new note, owner or dates on its own (the server allows it), so the "whole customer" error
 * goes; leaving it takes every entitlement of the customer, so a warning points to the customer page.
 */
export function checkDuplicateInvalid(issues: StatusIssue[], fields: StatusFields, stored: Entitlement | undefined): StatusIssue[] {
  if (stored?.l1 !== DUPLICATE_INVALID) return issues;
  if (fields.l1 === stored.l1 && (fields.l2 ?? null) === (stored.l2 ?? null)) return issues.filter((i) => i.code !== 'DUPLICATE_INVALID_WHOLE_CUSTOMER');
  return [
    ...issues,
    {
      field: 'l1',
      severity: 'warning',
      code: 'DUPLICATE_INVALID_EXIT',
      message: 'Every entitlement of this customer leaves Duplicate/Invalid together: use "Restore customer" on the customer page. Saving here works only when this is its only entitlement.',
    },
  ];
}

/** What a save says when the API no longer knows the entitlement (404). */
const GONE_MESSAGE =
  'Your change was not saved: this entitlement no longer exists, or is no longer one you can see. Its customer may have been deleted meanwhile, in another tab or by a manager. Copy what you typed if you need it elsewhere.';

/** An entitlement: its status form with the playbook's rules checked inline, conflict handling, and its history. */
export default function EntitlementPage({ id, route }: { id: number; route: Route }) {
  const { me } = useSession();
  const editable = canEdit(me.role);
  const taxonomy = useTaxonomy();
  const entitlement = useAsync(() => api.getEntitlement(id), [id]);
  const history = useAsync(() => api.listHistory(id), [id]);
  const [fields, setFields] = useState<StatusFields>();
  const [baseVersion, setBaseVersion] = useState<number>();
  const [prefilled, setPrefilled] = useState(false);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<{ message: string; issues: RuleIssue[]; gone?: boolean }>();
  const [conflict, setConflict] = useState<Entitlement>();
  /** The last save's outcome, shown until the form changes; `unchanged` when there was nothing to save. */
  const [saved, setSaved] = useState<{ warnings: RuleIssue[]; unchanged: boolean }>();
  /** The entitlement as the last save (or conflict) answered it, newer than the page's copy until that reloads. */
  const [stored, setStored] = useState<Entitlement>();
  /**
   * A save found the entitlement gone (404: its customer deleted meanwhile, or out of reach): what the
   * form holds can no longer be saved here, so leaving the page does not ask about it (it stays, to copy).
   */
  const [gone, setGone] = useState(false);

  const prefill = route.query.toString();
  useEffect(() => {
    const loaded = entitlement.data;
    if (!loaded || fields) return;
    const base = pickStatus(loaded);
    const l1 = route.query.get('l1');
    if (l1) {
      base.l1 = l1;
      base.l2 = route.query.get('l2') || null;
      base.note = route.query.get('note') ?? base.note;
      setPrefilled(true);
    }
    setFields(base);
    setBaseVersion(loaded.version);
  }, [entitlement.data, fields, prefill]);

  const today = toIsoDate(new Date());
  const issues = useMemo(
    () => (fields ? checkStoredDates(checkDuplicateInvalid(checkStatus(fields, taxonomy.data, today), fields, entitlement.data), fields, entitlement.data, today, taxonomy.data) : []),
    [fields, taxonomy.data, entitlement.data, today],
  );
  // In the order the form shows the fields, so the summary reads top down and names the first one first.
  const errors = issues.filter((i) => i.severity === 'error').sort((a, b) => STATUS_FIELD_ORDER.indexOf(a.field) - STATUS_FIELD_ORDER.indexOf(b.field));
  /** The fields with an error, each once: the summary names them (their messages are under each field). */
  const errorFields = [...new Set(errors.map((i) => i.field))];

  /** Edits (or Triage's prefill) not saved yet: reloading or closing the tab, or going to another page, asks before dropping them. */
  // What is stored: the page's copy, or the newer one a save (or a conflict) answered with while the copy reloads.
  const loaded = stored && (!entitlement.data || stored.version > entitlement.data.version) ? stored : entitlement.data;
  const unsavedFields = editable && fields && loaded ? diffStatus(toStatusChange(fields, taxonomy.data), pickStatus(loaded)) : [];
  const unsaved = unsavedFields.length > 0 && !gone;
  /**
   * The role was lowered on this page (a manager made the user a viewer; the app learnt it from a refused
   * save or on returning to the tab): the form turns read-only and keeps what was typed, and says that it
   * was not saved, so the user copies it rather than takes the grey form for stored values.
   */
  const roleLost = useRoleLost(editable);
  const lostFields = roleLost && !editable && fields && loaded ? diffStatus(toStatusChange(fields, taxonomy.data), pickStatus(loaded)) : [];
  useLeaveGuard(
    unsaved && loaded
      ? `Your changes to ${loaded.customerName} · ${loaded.workloadName}${loaded.part ? ` · ${loaded.part}` : ''} are not saved (${unsavedFields.map((f) => FIELD_LABELS[f]).join(', ')}). Leaving this page drops them.`
      : undefined,
  );
  // A pull-to-refresh on a phone, F5 or a closed tab would otherwise lose a note being written.
  useBeforeUnloadWarning(unsaved);

  /**
   * Takes Triage's prefill out of the address once it is used up (saved, or discarded for the saved
   * values): else a reload, Back or Forward, or the address bookmarked, would prefill the old status
   * again over a newer one. The history entry is replaced, not added.
   */
  function clearPrefill() {
    if (!PREFILL_KEYS.some((k) => route.query.has(k))) return;
    const rest = new URLSearchParams(route.query);
    for (const k of PREFILL_KEYS) rest.delete(k);
    navigate(toHref(route.path, Object.fromEntries(rest)), true);
  }

  /** Puts the stored values back in the form (and takes Triage's prefill out of the address). */
  function discard() {
    if (!loaded || busy) return;
    setFields(pickStatus(loaded));
    setBaseVersion(loaded.version);
    setTried(false);
    setPrefilled(false);
    setServerError(undefined);
    setSaved(undefined);
    clearPrefill();
    // The button goes with the edits: the form's heading is where to go on.
    focusWhenShown(`${FORM}-heading`);
  }

  async function save(version: number) {
    if (!fields || busy) return;
    const resolvingConflict = !!conflict;
    setBusy(true);
    setServerError(undefined);
    setSaved(undefined);
    try {
      const result = await api.updateStatus(id, version, toStatusChange(fields, taxonomy.data));
      setConflict(undefined);
      setStored(result.entitlement);
      setFields(pickStatus(result.entitlement));
      setBaseVersion(result.entitlement.version);
      setTried(false);
      setPrefilled(false);
      clearPrefill();
      // The server writes nothing for a change that changes nothing and answers with the same version.
      setSaved({ warnings: result.warnings, unchanged: result.entitlement.version === version });
      entitlement.reload();
      history.reload();
      // The conflict panel (and its focused button) is gone: the form is where to go on.
      if (resolvingConflict) focusWhenShown(`${FORM}-heading`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        const current = readConflictCurrent(error) ?? (await api.getEntitlement(id).catch(() => undefined));
        if (current) {
          setConflict(current);
          // Save is disabled while the conflict lasts: focus goes to the panel, whose buttons decide it.
          focusWhenShown('conflict-heading');
        } else setServerError({ message: error.message, issues: [] });
      } else if (error instanceof ApiError && error.status === 404) {
        // Its customer was deleted meanwhile (in another tab, or by a manager), or moved out of reach:
        // the API's "No entitlement with id 12" says neither what happened nor what to do.
        setServerError({ message: GONE_MESSAGE, issues: [], gone: true });
        setGone(true);
      } else if (error instanceof ApiError) {
        setServerError({ message: error.message, issues: readViolations(error) });
      } else {
        setServerError({ message: (error as Error).message, issues: [] });
      }
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setTried(true);
    setSaved(undefined);
    const first = errors[0];
    if (first) {
      // The field itself, which its error describes; the summary above Save lists every problem.
      focusWhenShown(toFieldId(FORM, first.field));
      return;
    }
    if (baseVersion === undefined) {
      document.getElementById('status-errors')?.focus();
      return;
    }
    const loaded = entitlement.data;
    if (fields && loaded && loaded.version === baseVersion && diffStatus(toStatusChange(fields, taxonomy.data), pickStatus(loaded)).length === 0) {
      setSaved({ warnings: [], unchanged: true });
      return;
    }
    void save(baseVersion);
  }

  if (entitlement.status === 'error' && !entitlement.data && isNotFound(entitlement.error)) return <NotFoundState what="entitlement" />;
  if (entitlement.status === 'error' && !entitlement.data) return <ErrorMessage error={entitlement.error} onRetry={entitlement.reload} />;
  const e = entitlement.data;
  if (!e) return <Loading label="Loading the entitlement…" />;
  // A lapsed target date blocks every save (the server's rule), so say so before the user tries.
  const lapsedTarget = editable && rulesL1Of(e.l1, taxonomy.data) === IN_PROGRESS && e.targetDate !== null && e.targetDate <= today && fields?.l1 === e.l1 && fields.targetDate === e.targetDate;

  return (
    <div className="page entitlement">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href="#/portfolio">Portfolio</a> › <a href={`#/customers/${encodeURIComponent(String(e.customerId))}`}>{e.customerName}</a> › {e.workloadName}
        {e.part ? ` · ${e.part}` : ''}
      </nav>
      <div className="page-head">
        <h1>
          {e.customerName} · {e.workloadName}
          {e.part ? ` · ${e.part}` : ''}
        </h1>
        <span className={`status-pill ${toStatusClass(e.l1)}`}>{formatStatus(e.l1, e.l2)}</span>
      </div>
      <p className="muted">
        {e.daysInStatus} day(s) in this status · version {e.version} · updated {formatDateTime(e.updatedAt)}
        {e.tenantId ? ` · tenant ${e.tenantId}` : ''}
      </p>
      <div className="two-col">
        <section className="card" aria-labelledby="status-heading">
          <h2 id="status-heading">Status</h2>
          {!editable ? <p className="muted">Your role can read this status but not change it.</p> : null}
          <RoleLostNotice id="status-role-lost" cannot="change statuses" fields={lostFields.map((f) => FIELD_LABELS[f])} />
          {e.l1 === DUPLICATE_INVALID ? (
            <p className="notice">
              This customer is {DUPLICATE_INVALID} and left out of every report. {editable ? 'You can change this entitlement\'s note, owner and dates here. ' : ''}
              The whole customer leaves {DUPLICATE_INVALID} at once, from{' '}
              <a href={`#/customers/${encodeURIComponent(String(e.customerId))}`}>the customer page</a>.
            </p>
          ) : null}
          {prefilled ? (
            <p className="notice" role="status">
              Prefilled from triage: {formatStatus(fields?.l1, fields?.l2)}. Check the fields and save.
            </p>
          ) : null}
          {saved ? (
            <div className="notice" role="status">
              {saved.unchanged ? 'No changes to save.' : 'Saved.'}
              {saved.warnings.length > 0 ? (
                <ul>
                  {saved.warnings.map((w, i) => (
                    <li key={i} className="field-warning">
                      Warning: {w.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
          {conflict && fields ? (
            <ConflictPanel
              mine={toStatusChange(fields, taxonomy.data)}
              theirs={conflict}
              busy={busy}
              myId={me.id}
              onReload={() => {
                setFields(pickStatus(conflict));
                setStored(conflict);
                setBaseVersion(conflict.version);
                setConflict(undefined);
                setPrefilled(false);
                clearPrefill();
                entitlement.reload();
                history.reload();
                focusWhenShown(`${FORM}-heading`);
              }}
              onOverwrite={() => void save(conflict.version)}
            />
          ) : null}
          {lapsedTarget ? (
            <div className="notice" id="status-lapsed">
              {lapsedTargetMessage(e.targetDate, today)}{' '}
              <button type="button" className="button-link" onClick={() => focusWhenShown(toFieldId(FORM, 'targetDate'))}>
                Go to the target date
              </button>
            </div>
          ) : null}
          {fields ? (
            <form onSubmit={submit} aria-describedby="status-rules" noValidate>
              <fieldset disabled={!editable || busy} className="plain">
                <legend className="visually-hidden">Status fields</legend>
                <StatusFieldset idPrefix={FORM} value={fields} workload={e.workload}
                  onChange={(next) => {
                    setFields(next);
                    setSaved(undefined);
                  }}
                  taxonomy={taxonomy.data} issues={issues} showIssues={tried || prefilled} coach={editable} />
              </fieldset>
              <p id="status-rules" className="muted small">
                {describeStatusRules(taxonomy.data)}
              </p>
              <div id="status-errors" tabIndex={-1} aria-live="polite">
                {tried && errors.length > 0 ? (
                  <p className="field-error" role="alert">
                    Fix {errors.length} problem(s) before saving, in{' '}
                    {errorFields.map((field, n) => (
                      <Fragment key={field}>
                        {n > 0 ? (n === errorFields.length - 1 ? ' and ' : ', ') : null}
                        <button type="button" className="button-link inline" onClick={() => focusWhenShown(toFieldId(FORM, field))}>
                          {STATUS_FIELD_LABELS[field]}
                        </button>
                      </Fragment>
                    ))}
                    . Each problem is written under its field.
                  </p>
                ) : null}
                <ServerRefusal error={serverError}>
                  {serverError?.gone ? (
                    <>
                      {' '}
                      Go to the <a href="#/portfolio">portfolio</a>.
                    </>
                  ) : null}
                </ServerRefusal>
              </div>
              {editable ? (
                <div className="actions">
                  {/* Not disabled while saving: a disabled button loses the focus. */}
                  <BusyButton type="submit" className="primary" disabled={!!conflict} busy={busy}>
                    {busy ? 'Saving…' : 'Save status'}
                  </BusyButton>
                  {unsaved && !conflict ? (
                    <button type="button" onClick={discard} aria-disabled={busy || undefined}>
                      Discard changes
                    </button>
                  ) : null}
                  <a className="button" href={toHref('/triage', { entitlement: String(e.id), note: fields.note })}>
                    Triage this note
                  </a>
                </div>
              ) : null}
            </form>
          ) : null}
        </section>
        <section className="card" aria-labelledby="history-heading">
          <h2 id="history-heading">History</h2>
          {history.status === 'error' ? <ErrorMessage error={history.error} onRetry={history.reload} /> : null}
          {history.status === 'loading' && !history.data ? <Loading label="Loading history…" /> : null}
          {history.data ? <Timeline entries={history.data.items} /> : null}
        </section>
      </div>
    </div>
  );
}
