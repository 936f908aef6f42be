import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { api, ApiError, type ImportConflictDetails, type ImportSummary, type UploadProgress } from '../api/client.js';
import { BusyButton } from '../components/busy-button.js';
import { canEdit, useSession } from '../components/session.js';
import { Empty, ErrorMessage } from '../components/states.js';
import { focusWhenShown } from '../lib/focus.js';
import { useLeaveGuard } from '../lib/router.js';
import {
  decodePreviewBytes,
  formatBytes,
  PREVIEW_BYTES,
  previewCsv,
  previewRefusal,
  readConflictReport,
  readRowReport,
  RESTORE_NOT_CONFIRMED,
  restoreNotConfirmedLines,
  restoreWording,
  type CsvPreview,
  type RowReport,
} from '../lib/import-report.js';

/** The API's interactive documentation, served by the same server (the import is under import/export). */
const API_DOCS = '/api/docs';

/**
 * The columns the import reads, in the server's order (IMPORT_COLUMNS in src/tracker/import.ts; the
 * browser test checks the two lists match), each with what it holds.
 */
const IMPORT_COLUMN_HELP: [string, string][] = [
  ['tenant_id', 'Required. The customer’s tenant id (case does not matter).'],
  ['customer', 'The customer’s name; needed when the row creates a customer.'],
  ['partner', 'The partner’s name, for a new customer (admins only; others import for their own partner).'],
  ['managed', 'yes or no, for a new customer.'],
  ['region', 'For a new customer.'],
  ['workload', 'Required. The workload as the export writes it, e.g. exchange-online.'],
  ['part', 'The split part (a region or subsidiary); empty for the whole workload.'],
  ['code', 'The status as one code, as the export writes it; or give l1 and l2.'],
  ['l1', 'The status, e.g. Blocked or In Progress.'],
  ['l2', 'The reason under that status.'],
  ['l3', 'An optional detail under the reason.'],
  ['note', 'The status note.'],
  ['target_date', 'YYYY-MM-DD; In Progress needs one in the future.'],
  ['engagement_start_date', 'YYYY-MM-DD.'],
  ['business_reason', 'Free text.'],
  ['owner', 'Who owns the next step.'],
  ['next_action', 'Free text.'],
  ['next_action_date', 'YYYY-MM-DD.'],
  ['projected_unblock_date', 'YYYY-MM-DD; Blocked needs one (here or already stored), not in the past.'],
  ['version', 'When present, must still be the stored version, so the file cannot overwrite a newer change.'],
  ['id', 'As the export writes it. When present, must be the entitlement of the row’s tenant_id, workload and part, so an edited row cannot move to another customer; empty for a new row. Not read for a file of another database (the box below the file).'],
];

/** The label of the box that confirms a file restores Duplicate/Invalid customers (`?restoreDuplicateInvalid=true`). */
const RESTORE_LABEL = 'This file restores Duplicate/Invalid customers';
/** The id of that box. */
const RESTORE_ID = 'import-restore';
/** The label of the box that leaves the file's id and version columns unread (`?ignoreIds=true`): a file exported from another database. */
const IGNORE_IDS_LABEL = 'The file comes from another database: ignore its id and version columns';
/** The id of that box. */
const IGNORE_IDS_ID = 'import-ignore-ids';

/**
 * The server's id errors end with the ways out a script or the command line has (`ignoreIds=true`,
 * `unblock import --ignore-ids`); the page names its box instead. Other text is returned as it is.
 */
function idsWording(message: string): string {
  return message.replace(/import it with ignoreIds=true \(unblock import --ignore-ids\)/g, `tick “${IGNORE_IDS_LABEL}” and import it again`);
}

/** A row report's or refusal's message as the page words it: its boxes named instead of query parameters. */
function pageWording(message: string): string {
  return idsWording(restoreWording(message, RESTORE_LABEL));
}

/** The column list, folded away under the page's introduction. */
function ColumnHelp() {
  return (
    <details className="column-help">
      <summary>Columns the import reads</summary>
      <table className="data-table">
        <caption className="visually-hidden">Each column and what it holds</caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">What it holds</th>
          </tr>
        </thead>
        <tbody>
          {IMPORT_COLUMN_HELP.map(([name, help]) => (
            <tr key={name}>
              <td>
                <code>{name}</code>
              </td>
              <td>{help}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        The export’s other columns (workload_name, note_grade, updated_at, days_in_status…) are ignored, so an edited export imports as it is. Files are UTF-8.
      </p>
    </details>
  );
}

/** What a request does with the file: import it, or only check it (`?dryRun=true`, nothing written). */
type Mode = 'import' | 'check';

type Phase =
  | { kind: 'idle' }
  | { kind: 'sending'; mode: Mode; progress?: UploadProgress }
  | { kind: 'done'; mode: Mode; summary: ImportSummary; fileName: string }
  | { kind: 'failed'; mode: Mode; error: Error; fileName: string };

/** The id of the button that sends the file for `mode`. */
const BUTTON_IDS: Record<Mode, string> = { import: 'import-send', check: 'import-check' };

/** "1 customer", "2 customers". */
function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** How long an upload may go without progress before the page says it may be stuck. */
const STALL_MS = 15_000;

/** A file's preview, and why the import will refuse the whole file when the preview tells already. */
type FilePreview = CsvPreview & { refusal?: string };

/** Reads the start of `file` and previews its header and first rows. */
async function readPreview(file: File): Promise<FilePreview> {
  const complete = file.size <= PREVIEW_BYTES;
  const bytes = new Uint8Array(await file.slice(0, PREVIEW_BYTES).arrayBuffer());
  const decoded = decodePreviewBytes(bytes, complete);
  if (decoded.problem && !decoded.text) return { header: [], rows: [], more: false, refusal: decoded.problem };
  const preview = previewCsv(decoded.text, complete);
  const refusal = previewRefusal(preview, complete, decoded.problem);
  return refusal ? { ...preview, refusal } : preview;
}

/** A cell shortened for the preview; the whole text is in its title. */
function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function PreviewTable({ preview }: { preview: FilePreview }) {
  // A file refused whole (empty, UTF-16…) says why above the table; an empty preview adds nothing.
  if (preview.header.length === 0) return preview.problem || preview.refusal ? null : <Empty>This file is empty: it needs a header row and at least one data row.</Empty>;
  return (
    <>
      <div className="table-scroll" role="region" aria-labelledby="preview-caption" tabIndex={0} style={{ overflowX: 'auto' }}>
        <table className="data-table preview-table">
          <caption id="preview-caption" className="visually-hidden">
            The first rows of the file
          </caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              {preview.header.map((name, i) => (
                <th scope="col" key={i}>
                  {name || <span className="muted">(no name)</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr key={row.line}>
                <td className="num">{row.line}</td>
                {preview.header.map((_, i) => (
                  <td key={i} title={(row.cells[i] ?? '').length > 60 ? row.cells[i] : undefined}>
                    {clip(row.cells[i] ?? '')}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        {preview.rows.length === 0
          ? 'The file has a header but no data rows yet.'
          : `The first ${preview.rows.length} row${preview.rows.length === 1 ? '' : 's'}${preview.more ? '; the file has more' : ', the whole file'}. The server checks every row when you import.`}
      </p>
    </>
  );
}

/** The counts of an import, or of a check (what an import would do). */
function SummaryFacts({ summary, checked = false }: { summary: ImportSummary; checked?: boolean }) {
  const facts: [string, number][] = [
    ['Rows in the file', summary.rows],
    [checked ? 'Customers to create' : 'Customers created', summary.customersCreated],
    [checked ? 'Entitlements to create' : 'Entitlements created', summary.entitlementsCreated],
    [checked ? 'Entitlements to update' : 'Entitlements updated', summary.entitlementsUpdated],
    ['Unchanged', summary.unchanged],
  ];
  return (
    <dl className="facts">
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** What a check found: what importing the file would do, and that nothing was written. */
function CheckSummary({ summary, fileName, onImport, busy }: { summary: ImportSummary; fileName: string; onImport: () => void; busy: boolean }) {
  const nothing = summary.customersCreated + summary.entitlementsCreated + summary.entitlementsUpdated === 0;
  return (
    <section className="card import-result import-check-result" aria-labelledby="import-result-title">
      <h2 id="import-result-title" tabIndex={-1}>
        Checked {fileName}: it can be imported
      </h2>
      <p className="check-outcome">
        <strong>Nothing was written.</strong> Importing this file would create {count(summary.customersCreated, 'customer', 'customers')} and{' '}
        {count(summary.entitlementsCreated, 'entitlement', 'entitlements')}, update {summary.entitlementsUpdated}, leave {summary.unchanged} unchanged.
        {nothing ? ' Every row matches what is stored already.' : ''}
      </p>
      <SummaryFacts summary={summary} checked />
      {summary.warningCount > 0 ? <ImportWarnings summary={summary} checked /> : null}
      <p className="muted small">
        The import checks every row again as it writes: if someone changes these entitlements meanwhile, its counts may differ.
      </p>
      <div className="actions">
        <BusyButton type="button" className="primary" busy={busy} onClick={onImport}>
          Import {fileName} now
        </BusyButton>
      </div>
    </section>
  );
}

function Summary({ summary, fileName }: { summary: ImportSummary; fileName: string }) {
  const nothing = summary.entitlementsCreated + summary.entitlementsUpdated === 0;
  return (
    <section className="card import-result" aria-labelledby="import-result-title">
      <h2 id="import-result-title" tabIndex={-1}>
        Imported {fileName}
      </h2>
      <SummaryFacts summary={summary} />
      <p>
        {nothing ? 'Every row matched what is stored already, so nothing changed. ' : 'Every change is in each entitlement’s history. '}
        <a href="#/portfolio?sort=-updated">Open the portfolio</a>, most recently updated first.
      </p>
      {summary.warningCount > 0 ? <ImportWarnings summary={summary} /> : null}
    </section>
  );
}

const WARNING_LABELS: Record<string, string> = { WEAK_NOTE: 'Weak note', NOTE_READS_AS_OTHER_CODE: 'Reads as another code' };

/** The note coach's warnings about imported rows: written anyway, but worth a second look. */
function ImportWarnings({ summary, checked = false }: { summary: ImportSummary; checked?: boolean }) {
  return (
    <>
      <table className="data-table import-warnings">
        <caption>
          Notes worth a second look ({summary.warningCount} warning{summary.warningCount === 1 ? '' : 's'};{' '}
          {checked ? 'they would not stop the import' : 'the rows were imported'})
        </caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Warning</th>
            <th scope="col">What the coach says</th>
          </tr>
        </thead>
        <tbody>
          {summary.warnings.map((w, i) => (
            <tr key={i}>
              <td className="num">{w.line}</td>
              <td>{WARNING_LABELS[w.code] ?? w.code}</td>
              <td>{w.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {summary.warningCount > summary.warnings.length ? (
        <p className="muted small">
          The first {summary.warnings.length} of {summary.warningCount} warnings are listed.
        </p>
      ) : null}
    </>
  );
}

function RowReportView({ report }: { report: RowReport }) {
  return (
    <>
      {report.unknownColumns ? (
        <p>
          Columns the import does not know: <strong>{report.unknownColumns.join(', ')}</strong>.
        </p>
      ) : null}
      {report.knownColumns ? (
        <p>
          Columns it reads: <code>{report.knownColumns.join(', ')}</code>.
        </p>
      ) : null}
      {report.problems.length > 0 ? (
        <>
          <table className="data-table row-report">
            <caption>Problems by row</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {report.problems.map((p, i) => (
                <tr key={i}>
                  <td className="num">{Number.isNaN(p.line) ? '—' : p.line}</td>
                  <td>{p.column ? <code>{p.column}</code> : '—'}</td>
                  <td>{pageWording(p.message)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.truncated ? (
            <p className="muted small">
              The report lists the first {report.rowsListed} of the {report.rowsWithErrors} rows with problems; fix these and import again to see the rest.
            </p>
          ) : null}
        </>
      ) : null}
    </>
  );
}

function ConflictView({ conflict }: { conflict: ImportConflictDetails }) {
  if (conflict.rows.length === 0) return null;
  return (
    <>
      <table className="data-table conflict-report">
        <caption>Rows whose entitlements changed meanwhile</caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Entitlement</th>
            <th scope="col">Version in the file</th>
            <th scope="col">Version read</th>
            <th scope="col">Version now</th>
          </tr>
        </thead>
        <tbody>
          {conflict.rows.map((row) => (
            <tr key={`${row.line}:${row.id}`}>
              <td className="num">{row.line}</td>
              <td>
                <a href={`#/entitlements/${row.id}`}>#{row.id}</a>
              </td>
              <td className="num">{row.fileVersion ?? '—'}</td>
              <td className="num">{row.readVersion}</td>
              <td className="num">{row.currentVersion ?? 'deleted'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {conflict.truncated ? (
        <p className="muted small">
          Showing the first {conflict.rows.length} of {conflict.conflictingRows} rows concerned.
        </p>
      ) : null}
    </>
  );
}

/** The frame of a refused import or check: its heading, then the explanation given. */
function NotImported({ fileName, mode, children }: { fileName: string; mode: Mode; children: ReactNode }) {
  return (
    <section className="card import-result" aria-labelledby="import-result-title">
      <h2 id="import-result-title" tabIndex={-1}>
        {mode === 'check' ? `Checked ${fileName}: it would not be imported` : `${fileName} was not imported`}
      </h2>
      {mode === 'check' ? <p>Nothing was written: this was a check. The import would refuse the file for the reasons below.</p> : null}
      {children}
    </section>
  );
}

/**
 * Rows refused because they would restore a Duplicate/Invalid customer unconfirmed: what that means and the
 * box that confirms it, with a button that ticks the box and takes the focus there.
 */
function RestoreHint({ lines, mode, restore, onConfirmRestore }: { lines: number[]; mode: Mode; restore: boolean; onConfirmRestore: () => void }) {
  const rows = lines.length === 1 ? `Line ${lines[0]} takes a Duplicate/Invalid customer` : `${lines.length} rows take Duplicate/Invalid customers`;
  return (
    <div className="notice restore-hint" id="import-restore-hint">
      <p>
        {rows} out of Duplicate/Invalid, which restores {lines.length === 1 ? 'it' : 'them'}. A restore must be confirmed: if this file is meant to do it, tick{' '}
        <strong>{RESTORE_LABEL}</strong> above and {mode === 'check' ? 'check or import' : 'import'} the file again (every entitlement of such a customer must be in
        the file). Otherwise, leave those rows’ status as it is.
      </p>
      <div className="actions">
        <button type="button" onClick={onConfirmRestore}>
          {restore ? 'Go to the restore box (ticked)' : 'Tick the restore box'}
        </button>
      </div>
    </div>
  );
}

interface RestoreProps {
  /** Whether the restore box is ticked now. */
  restore: boolean;
  /** Ticks the restore box and focuses it. */
  onConfirmRestore: () => void;
}

/** The refusal of an import, as a message the user can act on, with the row report or conflicting rows. */
function Failure({
  error,
  fileName,
  mode,
  onRetry,
  busy,
  restore,
  onConfirmRestore,
}: { error: Error; fileName: string; mode: Mode; onRetry: () => void; busy: boolean } & RestoreProps) {
  const report = readRowReport(error);
  const conflict = readConflictReport(error);
  const code = error instanceof ApiError ? error.code : undefined;
  const status = error instanceof ApiError ? error.status : undefined;
  const message =
    status === 413 || code === 'PAYLOAD_TOO_LARGE'
      ? `The file is larger than this server accepts. Split it into smaller files and import them one by one. (${error.message})`
      : status === 415 || code === 'UNSUPPORTED_MEDIA_TYPE'
        ? `The server did not accept this as a CSV file. Save it as “CSV UTF-8 (comma-separated)” and choose it again. (${error.message})`
        : status === 403
          ? `Your role cannot import this file. (${error.message})`
          : report || conflict
            ? pageWording(error.message)
            : undefined;
  const restoreLines = report ? restoreNotConfirmedLines(report) : [];
  // Only restore rows: nothing to fix in the file, the box is the answer (or leaving the rows as they are).
  const onlyRestore = report !== undefined && restoreLines.length > 0 && report.problems.every((p) => p.code === RESTORE_NOT_CONFIRMED);
  return (
    <NotImported fileName={fileName} mode={mode}>
      {message ? (
        <div className="state state-error" role="alert">
          {message} {code ? <span className="muted">({code})</span> : null}
        </div>
      ) : (
        <ErrorMessage error={error} onRetry={busy ? undefined : onRetry} />
      )}
      {report ? (
        <>
          {/* A refusal of the whole file (its encoding, its header, no rows) has no rows to list: its message says what to do. */}
          {restoreLines.length > 0 ? <RestoreHint lines={restoreLines} mode={mode} restore={restore} onConfirmRestore={onConfirmRestore} /> : null}
          {onlyRestore ? null : report.problems.length > 0 ? (
            <p>Fix the rows below in your file, then choose it again and {mode === 'check' ? 'check or import' : 'import'} it.</p>
          ) : report.unknownColumns ? (
            <p>Rename or remove those columns in your file’s header, then choose it again and {mode === 'check' ? 'check or import' : 'import'} it.</p>
          ) : null}
          <RowReportView report={report} />
        </>
      ) : null}
      {conflict ? (
        <>
          <p>
            {mode === 'check'
              ? 'Someone changed these entitlements while the file was being checked. Checking again reads their changes; importing would overwrite them with the file’s.'
              : 'Someone changed these entitlements while the file was being imported, so nothing was imported. Importing again would overwrite their changes with the file’s.'}
          </p>
          <ConflictView conflict={conflict} />
          <div className="actions">
            <button type="button" className="primary" onClick={onRetry} disabled={busy}>
              Try again
            </button>
          </div>
        </>
      ) : null}
    </NotImported>
  );
}

/** Editors and above: import entitlement statuses from a CSV file, all or nothing. */
export default function ImportPage() {
  const { me } = useSession();
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<FilePreview>();
  const [advise, setAdvise] = useState(true);
  // Confirms that the file restores Duplicate/Invalid customers; off for each file chosen, never remembered.
  const [restore, setRestore] = useState(false);
  // Leaves the file's id and version columns unread (a file of another database); off for each file chosen, as restore.
  const [ignoreIds, setIgnoreIds] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [dragging, setDragging] = useState(false);
  const controllerRef = useRef<AbortController | undefined>(undefined);
  const previewTicket = useRef(0);
  const inputRef = useRef<HTMLInputElement>(null);

  // An upload whose progress has not moved for a while: say what may be wrong (and that Cancel is there).
  const [stalled, setStalled] = useState(false);
  const sendingProgress = phase.kind === 'sending' ? phase.progress : undefined;
  useEffect(() => {
    setStalled(false);
    if (!sendingProgress || sendingProgress.sent >= sendingProgress.total) return;
    const timer = setTimeout(() => setStalled(true), STALL_MS);
    return () => clearTimeout(timer);
  }, [phase.kind, sendingProgress?.sent, sendingProgress?.total]);

  // Leaving the page cancels an upload still on its way.
  useEffect(() => () => controllerRef.current?.abort(), []);
  // A file chosen and not imported yet (only checked, refused, or not sent), or one on its way: leaving asks
  // first, as a form with unsaved edits does (choosing it again means finding it again).
  const imported = phase.kind === 'done' && phase.mode === 'import';
  useLeaveGuard(
    !file || imported
      ? undefined
      : phase.kind === 'sending'
        ? `${file.name} is on its way: if you leave now, you will not see whether it was imported or what was wrong with it.`
        : `${file.name} is chosen but not imported: leaving drops it, and you would have to choose it again.`,
  );

  // A new result (or refusal) takes the focus, so it is read out and the keyboard starts there.
  useEffect(() => {
    if (phase.kind === 'done' || phase.kind === 'failed') document.getElementById('import-result-title')?.focus();
  }, [phase]);

  if (!canEdit(me.role)) {
    return (
      <div className="page import">
        <h1>Import</h1>
        <Empty>
          Importing changes statuses, which your role cannot do. You can still read everything in the <a href="#/portfolio">portfolio</a>.
        </Empty>
      </div>
    );
  }

  function choose(next: File | undefined) {
    controllerRef.current?.abort();
    setFile(next);
    setPreview(undefined);
    setRestore(false);
    setIgnoreIds(false);
    setPhase({ kind: 'idle' });
    if (!next) return;
    // Only the preview of the file chosen last is shown, whichever is read first.
    const ticket = ++previewTicket.current;
    readPreview(next).then(
      (p) => {
        if (ticket === previewTicket.current) setPreview(p);
      },
      (error: unknown) => {
        if (ticket === previewTicket.current) setPreview({ header: [], rows: [], more: false, problem: `The file could not be read here: ${(error as Error).message}` });
      },
    );
  }

  /** Sends the file to be imported, or with `mode: 'check'` only checked (`?dryRun=true`: nothing is written). */
  async function send(mode: Mode) {
    if (!file || phase.kind === 'sending') return;
    // A button in the result (Try again, Import … now), which goes now, hands the focus to the button of its mode, off while it works.
    if (document.activeElement?.closest('.import-result')) document.getElementById(BUTTON_IDS[mode])?.focus();
    const controller = new AbortController();
    controllerRef.current = controller;
    setPhase({ kind: 'sending', mode });
    try {
      const summary = await api.importEntitlements(file, { advise, restoreDuplicateInvalid: restore, dryRun: mode === 'check', ignoreIds }, (progress) => {
        if (!controller.signal.aborted) setPhase({ kind: 'sending', mode, progress });
      }, controller.signal);
      if (!controller.signal.aborted) setPhase({ kind: 'done', mode, summary, fileName: file.name });
    } catch (error) {
      if (controller.signal.aborted) return;
      setPhase({ kind: 'failed', mode, error: error instanceof Error ? error : new Error(String(error)), fileName: file.name });
    }
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    if (phase.kind === 'sending') return;
    const dropped = event.dataTransfer.files[0];
    if (!dropped) return;
    // The file field shows the dropped file's name too.
    if (inputRef.current) inputRef.current.files = event.dataTransfer.files;
    choose(dropped);
  }

  const busy = phase.kind === 'sending';
  const checking = busy && phase.mode === 'check';
  // Upload progress, once the browser reports it (it may not, e.g. behind some proxies): then the file is on its way or all sent.
  const progress = busy ? phase.progress : undefined;
  const uploaded = progress !== undefined && progress.sent >= progress.total;
  const notCsv = file && !/\.(csv|txt)$/i.test(file.name) && !/csv|text\/plain/.test(file.type);

  return (
    <div className="page import">
      <h1>Import</h1>
      <p>
        Change many statuses at once from a CSV file, for example an export from the portfolio edited in a spreadsheet. The file is imported all or nothing: when
        any row has a problem, nothing changes and every problem is listed by line. The columns are those of the portfolio’s <strong>Export CSV</strong>:{' '}
        <code>tenant_id</code> and <code>workload</code> are required, and an empty cell keeps the stored value. The{' '}
        <a href={API_DOCS} target="_blank" rel="noreferrer">
          API documentation
        </a>{' '}
        describes the import under <em>import/export</em>.{me.role === 'editor' ? ' Your role updates existing entitlements; a manager creates new customers and entitlements.' : ''}
      </p>
      <ColumnHelp />

      <section className="card" aria-labelledby="import-file-title">
        <h2 id="import-file-title">File</h2>
        <div
          className={dragging ? 'drop-zone notice' : 'drop-zone state state-empty'}
          onDragOver={(e) => {
            e.preventDefault();
            if (!busy) setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="drop-zone"
        >
          <label htmlFor="import-file">Choose a CSV file, or drop it here</label>
          <input
            id="import-file"
            ref={inputRef}
            type="file"
            accept=".csv,text/csv"
            disabled={busy}
            onChange={(e) => choose(e.target.files?.[0])}
          />
        </div>
        {file ? (
          <p className="file-facts" aria-live="polite">
            <strong>{file.name}</strong> <span className="muted">· {formatBytes(file.size)}</span>
          </p>
        ) : null}
        {notCsv ? <p className="warning">This file’s name does not end in .csv; the import reads comma-separated text only.</p> : null}
        {preview?.refusal ? (
          <p id="import-refusal" className="warning" role="alert">
            {preview.refusal} The import would refuse this file as it is, so it is not sent.
          </p>
        ) : null}
        {preview?.problem ? <p className="warning">{preview.problem}</p> : null}
        {preview ? <PreviewTable preview={preview} /> : file ? <p className="muted">Reading the first rows…</p> : null}

        <div className="field advise-field">
          <label className="checkbox-label" style={{ display: 'inline-flex', gap: '0.4rem', alignItems: 'center' }}>
            <input type="checkbox" checked={advise} disabled={busy} onChange={(e) => setAdvise(e.target.checked)} aria-describedby="advise-hint" />
            Advise (grade notes and check codes)
          </label>
          <p id="advise-hint" className="muted small">
            Grades each changed note and asks the classifier whether it fits its code, as a status change from the form does; turn it off to import large files faster
            (their history then keeps no grade).
          </p>
        </div>
        <div className="field restore-field">
          <label className="checkbox-label" style={{ display: 'inline-flex', gap: '0.4rem', alignItems: 'center' }}>
            <input
              type="checkbox"
              id={RESTORE_ID}
              checked={restore}
              disabled={busy}
              onChange={(e) => setRestore(e.target.checked)}
              aria-describedby="restore-hint"
            />
            {RESTORE_LABEL}
          </label>
          <p id="restore-hint" className="muted small">
            Tick only when the file is meant to take customers out of Duplicate/Invalid; without it, such rows are refused. It is cleared when you choose another
            file.
          </p>
        </div>
        <div className="field ignore-ids-field">
          <label className="checkbox-label" style={{ display: 'inline-flex', gap: '0.4rem', alignItems: 'center' }}>
            <input
              type="checkbox"
              id={IGNORE_IDS_ID}
              checked={ignoreIds}
              disabled={busy}
              onChange={(e) => setIgnoreIds(e.target.checked)}
              aria-describedby="ignore-ids-hint"
            />
            {IGNORE_IDS_LABEL}
          </label>
          <p id="ignore-ids-hint" className="muted small">
            An export of another Unblock database numbers and versions its entitlements as that database does, so its ids name other entitlements here, or
            none, and its versions are not theirs. Tick it to find each row’s entitlement by its tenant_id, workload and part alone, without checking a version;
            without it, a row whose id is not its entitlement’s is refused. It is cleared when you choose another file.
          </p>
        </div>
        <div className="actions">
          {/* Focusable while it works (see BusyButton); a refusal or the result then takes the focus. */}
          <BusyButton
            type="button"
            id="import-send"
            className="primary"
            busy={busy}
            disabled={!busy && (!file || !!preview?.refusal)}
            aria-describedby={preview?.refusal ? 'import-refusal' : undefined}
            onClick={() => void send('import')}
          >
            {busy && !checking ? 'Importing…' : 'Import'}
          </BusyButton>
          {/* The same request with ?dryRun=true: what the import would do, nothing written. */}
          <BusyButton
            type="button"
            id="import-check"
            busy={busy}
            disabled={!busy && (!file || !!preview?.refusal)}
            aria-describedby={preview?.refusal ? 'import-refusal' : 'import-check-hint'}
            onClick={() => void send('check')}
          >
            {checking ? 'Checking…' : 'Check file'}
          </BusyButton>
          {busy ? (
            <button
              type="button"
              onClick={() => {
                const mode = phase.mode;
                controllerRef.current?.abort();
                setPhase({ kind: 'idle' });
                // Cancel goes with the upload: the button that sent the file, to send it again, is where to go on.
                focusWhenShown(BUTTON_IDS[mode]);
              }}
              disabled={uploaded}
              title={uploaded ? 'The server has the whole file; it imports it all or nothing.' : undefined}
            >
              Cancel
            </button>
          ) : null}
        </div>
        <p id="import-check-hint" className="muted small">
          <strong>Check file</strong> has the server check every row and say what importing the file would do, writing nothing; <strong>Import</strong> then
          imports the same file, without choosing it again.
        </p>
        {busy ? (
          <div className="import-progress" role="status">
            {uploaded ? (
              checking ? (
                <>
                  <progress aria-label="Checking" /> The server has the file and is checking every row, writing nothing…
                </>
              ) : (
                <>
                  <progress aria-label="Importing" /> The server has the file and is checking and importing every row…
                </>
              )
            ) : progress ? (
              <>
                <progress aria-label="Upload" max={Math.max(1, progress.total)} value={progress.sent} /> Sending the file: {formatBytes(progress.sent)} of{' '}
                {formatBytes(progress.total)}…
              </>
            ) : checking ? (
              <>
                <progress aria-label="Checking" /> Sending the file; the server then checks every row, writing nothing…
              </>
            ) : (
              <>
                <progress aria-label="Importing" /> Sending the file; the server then checks and imports every row…
              </>
            )}
            {stalled ? (
              <p className="warning">
                The upload has not moved for a while. The server may have refused the file as too large without reading the rest; cancel, and split the file into
                smaller ones if it happens again.
              </p>
            ) : null}
          </div>
        ) : null}
      </section>

      {phase.kind === 'done' ? (
        // The server's own word decides the wording: a check is said as one only when the server wrote nothing.
        phase.summary.dryRun ? (
          <CheckSummary summary={phase.summary} fileName={phase.fileName} onImport={() => void send('import')} busy={busy} />
        ) : (
          <Summary summary={phase.summary} fileName={phase.fileName} />
        )
      ) : null}
      {phase.kind === 'failed' ? (
        <Failure
          error={phase.error}
          fileName={phase.fileName}
          mode={phase.mode}
          onRetry={() => void send(phase.mode)}
          busy={busy}
          restore={restore}
          onConfirmRestore={() => {
            setRestore(true);
            document.getElementById(RESTORE_ID)?.focus();
          }}
        />
      ) : null}
    </div>
  );
}
