import { useEffect, useMemo, useRef, useState } from 'react';
import { api, type Candidate, type Classification, type Entitlement, type NoteGrade } from '../api/client.js';
import { ConfidenceBar } from '../components/confidence-bar.js';
import { canEdit, useSession } from '../components/session.js';
import { Empty, ErrorMessage, isNotFound, Loading } from '../components/states.js';
import { formatStatus } from '../lib/format.js';
import { splitWorkloadQuery } from '../lib/apply-search.js';
import { splitHighlights } from '../lib/highlight.js';
import { appendAnswer, classifyQuestion } from '../lib/questions.js';
import { listCandidates, rerankCandidates, type Answer } from '../lib/rerank.js';
import { useWorkloads } from '../lib/reference-data.js';
import { navigate, toHref, type Route } from '../lib/router.js';
import { useAsync, useDebounced } from '../lib/use-async.js';

const DEBOUNCE_MS = 250;
/** How many entitlements Apply's search lists. */
const PICK_LIMIT = 8;

/**
 * What Triage keeps of a note with its history entry, so Back (after Apply, a link, the menu) brings the
 * note back with the code picked and the yes/no answers given, and a reload does too: the user who
 * typed it (another user signing in over an ended session in this tab starts afresh), the note, the
 * candidate picked and the answers. A visit to Triage from the menu or a link is a new entry, with
 * nothing kept, so it starts empty (or with the link's note), as before.
 */
interface TriageDraft {
  user: string;
  note: string;
  picked?: string;
  answers?: Record<number, Answer | undefined>;
}

/** The key of the draft in the entry's history state (the router keeps its own key and any other one, see stateAt in router.ts). */
const DRAFT_KEY = 'unblockTriage';

/** The draft kept with the history entry shown, when `user` wrote it and it reads as a draft; else undefined. */
function readDraft(user: string): TriageDraft | undefined {
  const state = window.history.state as Record<string, unknown> | null;
  const draft = state?.[DRAFT_KEY] as Partial<TriageDraft> | undefined;
  if (!draft || typeof draft !== 'object' || draft.user !== user || typeof draft.note !== 'string') return undefined;
  return {
    user,
    note: draft.note,
    picked: typeof draft.picked === 'string' ? draft.picked : undefined,
    answers: draft.answers && typeof draft.answers === 'object' ? draft.answers : undefined,
  };
}

/** Keeps `draft` with the history entry shown (undefined: keeps nothing), leaving the rest of its state as it is. */
function writeDraft(draft: TriageDraft | undefined): void {
  const state = window.history.state as Record<string, unknown> | null;
  const next: Record<string, unknown> = { ...(state && typeof state === 'object' ? state : {}) };
  if (draft) next[DRAFT_KEY] = draft;
  else if (!(DRAFT_KEY in next)) return;
  else delete next[DRAFT_KEY];
  window.history.replaceState(next, '');
}

interface Suggestion {
  text: string;
  classification: Classification;
  grade: NoteGrade;
  /** Milliseconds from the end of the typing pause to the answer. */
  latencyMs: number;
}

function HighlightedNote({ text, terms }: { text: string; terms: string[] }) {
  const segments = useMemo(() => splitHighlights(text, terms), [text, terms]);
  // A paragraph takes no name in ARIA, and not every screen reader says where a <mark> starts: the marked
  // words are also listed in a sentence read after the note.
  const marked = [...new Set(segments.filter((s) => s.marked).map((s) => s.text))];
  return (
    <>
      <p className="highlighted-note">{segments.map((s, i) => (s.marked ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}</p>
      <p className="visually-hidden">{marked.length > 0 ? `Marked as deciding: ${marked.join(', ')}.` : 'No word of the note is marked as deciding.'}</p>
    </>
  );
}

/** "Harbour Logistics · Teams · Nordic subsidiary": how the Apply button names an entitlement. */
function nameEntitlement(e: Entitlement): string {
  return `${e.customerName} · ${e.workloadName}${e.part ? ` · ${e.part}` : ''}`;
}

/** A positive whole number from the address, or null. */
function readId(value: string | null): number | null {
  const id = Number(value);
  return value && Number.isInteger(id) && id > 0 ? id : null;
}

/**
 * Where to apply the chosen code: the entitlement the link named (`target`, once loaded), or else one
 * found by searching. A link's entitlement that does not exist (or is not yours) falls back to the search.
 */
function ApplyPicker({
  candidate,
  note,
  target,
  onApply,
}: {
  candidate: Candidate;
  note: string;
  target: { id: number; entitlement: Entitlement | undefined; missing: boolean } | null;
  /** Called just before Apply leaves the page (Triage keeps its draft with the entry then). */
  onApply: () => void;
}) {
  const initialId = target && !target.missing ? String(target.id) : null;
  const [query, setQuery] = useState('');
  const debounced = useDebounced(query, 200);
  const [results, setResults] = useState<Entitlement[]>();
  const [error, setError] = useState<Error>();
  const workloads = useWorkloads();
  useEffect(() => {
    if (initialId) return;
    const controller = new AbortController();
    const list = (query: { q: string; workload?: string }) => api.listEntitlements({ ...query, pageSize: PICK_LIMIT, sort: 'customer' }, controller.signal);
    // A workload named in the text (`Contoso Teams`) is searched as the workload filter, which is exact
    // (the list's text search reads workload names as words); its matches come first, then those of the text as typed.
    const split = workloads.data ? splitWorkloadQuery(debounced, workloads.data) : undefined;
    Promise.all([split ? list(split) : undefined, list({ q: debounced })]).then(
      ([named, typed]) => {
        const seen = new Set<number>();
        const items = [...(named?.items ?? []), ...typed.items].filter((e) => !seen.has(e.id) && seen.add(e.id));
        setResults(items.slice(0, PICK_LIMIT));
        setError(undefined);
      },
      (err: unknown) => { if (!controller.signal.aborted) setError(err as Error); },
    );
    return () => controller.abort();
  }, [debounced, initialId, workloads.data]);

  const go = (id: string | number) => {
    onApply();
    navigate(toHref(`/entitlements/${encodeURIComponent(String(id))}`, { l1: candidate.l1, l2: candidate.l2 ?? '', note }));
  };

  if (initialId)
    return (
      <button type="button" className="primary" onClick={() => go(initialId)}>
        Apply {formatStatus(candidate.l1, candidate.l2)} to {target?.entitlement ? nameEntitlement(target.entitlement) : `entitlement ${initialId}`}
      </button>
    );
  return (
    <div className="apply-picker">
      {target?.missing ? (
        <p className="warning" role="note">
          The link names entitlement {target.id}, which does not exist or is not one you can see. Find the entitlement instead.
        </p>
      ) : null}
      <label htmlFor="apply-search">Find the entitlement (customer, workload or tenant)</label>
      <input id="apply-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="e.g. Contoso Teams" />
      {error ? <ErrorMessage error={error} /> : null}
      {!results && !error ? <Loading label="Searching…" /> : null}
      {results && results.length === 0 ? <Empty>No entitlement matches.</Empty> : null}
      {results && results.length > 0 ? (
        <ul className="pick-list" aria-label="Entitlements to apply to">
          {results.map((e) => (
            <li key={e.id}>
              <button type="button" className="pick" onClick={() => go(e.id)}>
                <strong>{e.customerName}</strong> · {e.workloadName}
                {e.part ? ` · ${e.part}` : ''} <span className="muted">now {formatStatus(e.l1, e.l2)}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A short answer in words to an open question; "Add to note" appends it to the note as a sentence. */
function OpenAnswer({ id, added, onAdd }: { id: string; added: boolean; onAdd: (answer: string) => void }) {
  const [answer, setAnswer] = useState('');
  const add = () => {
    if (!answer.trim()) return;
    onAdd(answer);
    setAnswer('');
  };
  return (
    <div className="open-answer">
      <input
        type="text"
        aria-labelledby={id}
        aria-describedby={`${id}-hint`}
        value={answer}
        maxLength={300}
        placeholder="Your answer, in a few words"
        onChange={(e) => setAnswer(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add();
          }
        }}
      />
      <button type="button" onClick={add} disabled={!answer.trim()}>
        Add to note
      </button>
      <span id={`${id}-hint`} className="muted small" role="status">
        {added ? 'Added to the note.' : ''}
      </span>
    </div>
  );
}

/** Triage: type a note, see the suggested code, the explanation and the note's grade as you type. */
export default function TriagePage({ route }: { route: Route }) {
  const { me } = useSession();
  // Read once: App gives the page a new key when the link's query changes, so it starts afresh.
  const entitlementId = readId(route.query.get('entitlement'));
  const linked = useAsync(async () => (entitlementId === null ? undefined : api.getEntitlement(entitlementId)), [entitlementId]);
  /** The linked entitlement's workload for the note grade; undefined while it loads (the grade waits for it). */
  const workload = entitlementId === null ? null : linked.status === 'loading' ? undefined : (linked.data?.workload ?? null);
  const user = String(me.id);
  /** The draft this history entry holds (Back to it, a reload): its note, and its pick and answers once its classification is back. */
  const [draft] = useState(() => readDraft(user));
  const restoring = useRef(draft);
  /** The address this page shows: a draft is written only to its own entry, never to the one a move has just made. */
  const entryHash = useRef(window.location.hash);
  const [text, setText] = useState(draft?.note ?? route.query.get('note') ?? '');
  const debounced = useDebounced(text, DEBOUNCE_MS);
  const [suggestion, setSuggestion] = useState<Suggestion>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error>();
  const [answers, setAnswers] = useState<Record<number, Answer | undefined>>({});
  const [picked, setPicked] = useState<string>();
  /** Open questions (by text) whose answer was added to the note. */
  const [addedAnswers, setAddedAnswers] = useState<ReadonlySet<string>>(new Set());
  const textareaRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const note = debounced.trim();
    if (!note) {
      setSuggestion(undefined);
      setError(undefined);
      return;
    }
    if (workload === undefined) return;
    const controller = new AbortController();
    const started = performance.now();
    setPending(true);
    // One chain with one catch: a failed (or aborted) grade is handled like a failed classification.
    api
      .classify(note, controller.signal)
      .then(async (classification) => ({ classification, grade: await api.gradeNote(note, classification.l1, classification.l2, controller.signal, workload) }))
      .then(
        ({ classification, grade }) => {
          if (controller.signal.aborted) return;
          setSuggestion({ text: note, classification, grade, latencyMs: Math.round(performance.now() - started) });
          // The note Back brought back gets the pick and answers it had; any other note starts without.
          const kept = restoring.current;
          restoring.current = undefined;
          setAnswers(kept?.note.trim() === note ? (kept.answers ?? {}) : {});
          setPicked(kept?.note.trim() === note ? kept.picked : undefined);
          setError(undefined);
          setPending(false);
        },
        (err: unknown) => {
          if (controller.signal.aborted) return;
          setError(err as Error);
          setPending(false);
        },
      );
    return () => controller.abort();
  }, [debounced, workload]);

  /** Keeps the note, the pick and the answers with this page's history entry (see {@link TriageDraft}). */
  const keepDraft = () => {
    if (window.location.hash !== entryHash.current) return;
    // The pick and answers of a draft still being restored are not known yet: what is kept stays.
    if (restoring.current && restoring.current.note === text) return;
    writeDraft(text ? { user, note: text, picked, answers } : undefined);
  };
  const keepDraftRef = useRef(keepDraft);
  keepDraftRef.current = keepDraft;
  // After the typing pause (not each keystroke: browsers throttle history writes), and as a pick or an
  // answer changes; leaving the box and Apply keep it at once.
  useEffect(() => keepDraftRef.current(), [debounced, picked, answers]);

  const classification = suggestion?.classification;
  const ranked = useMemo(
    () => (classification ? rerankCandidates(listCandidates(classification), classification.questions, answers) : []),
    [classification, answers],
  );
  const chosen = ranked.find((c) => c.code === picked) ?? ranked[0];
  const terms = useMemo(() => classification?.explanation.terms.map((t) => t.term) ?? [], [classification]);

  return (
    <div className="page triage">
      <h1>Triage a status note</h1>
      <div className="triage-grid">
        <section aria-labelledby="note-heading" className="card">
          <h2 id="note-heading">Note</h2>
          <label htmlFor="note-input">Type or paste the status note</label>
          <textarea
            id="note-input"
            ref={textareaRef}
            rows={6}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onBlur={keepDraft}
            placeholder="e.g. The customer wants Teams but their proxy blocks the media ports; network team will change it by March."
            aria-describedby="note-help"
          />
          <p id="note-help" className="muted small">
            Suggestions update {DEBOUNCE_MS} ms after you stop typing.{' '}
            {pending ? <span role="status">Thinking…</span> : suggestion ? <span data-testid="latency" data-latency-ms={suggestion.latencyMs}>Answered in {suggestion.latencyMs} ms.</span> : null}
          </p>
          {error ? <ErrorMessage error={error} /> : null}
          {suggestion ? (
            <>
              <h3>Deciding words</h3>
              <HighlightedNote text={suggestion.text} terms={terms} />
              <h3>
                Note grade: <span className={`grade grade-${suggestion.grade.grade}`}>{suggestion.grade.grade}</span>{' '}
                <span className="muted">(score {Math.round(suggestion.grade.score * 100)}/100)</span>
              </h3>
              {suggestion.grade.findings.length === 0 ? (
                <p className="ok">No findings: the note states intent and a reason another team can act on.</p>
              ) : (
                <ul className="findings" aria-label="Note findings">
                  {suggestion.grade.findings.map((f, i) => (
                    <li key={i} className={`finding-${f.severity}`}>
                      <span className="badge">{f.severity}</span> <strong>{f.message}</strong>
                      {f.span ? <q className="finding-span">{suggestion.text.slice(f.span.start, f.span.end)}</q> : null}
                      {f.fix ? <div className="fix">Fix: {f.fix}</div> : null}
                    </li>
                  ))}
                </ul>
              )}
              {suggestion.grade.template ? (
                <div className="template">
                  {/* A playbook's own guidance is prose to follow, not a shape to paste into the note. */}
                  {suggestion.grade.templateSource === 'playbook' ? (
                    <>
                      <span className="muted">Guidance for this code:</span> <em>{suggestion.grade.template}</em>
                    </>
                  ) : (
                    <>
                      <span className="muted">Template for this code:</span> <em>{suggestion.grade.template}</em>{' '}
                      <button type="button" className="button-link" onClick={() => { setText(suggestion.grade.template ?? ''); textareaRef.current?.focus(); }}>
                        Use template
                      </button>
                    </>
                  )}
                </div>
              ) : null}
            </>
          ) : null}
        </section>

        <section aria-labelledby="suggestion-heading" className="card" aria-live="polite">
          <h2 id="suggestion-heading">Suggested status</h2>
          {!suggestion && !pending && !error ? <Empty>Start typing a note to see the suggested reason code.</Empty> : null}
          {!suggestion && pending ? <Loading label="Classifying…" /> : null}
          {classification && chosen ? (
            <>
              {classification.abstained ? (
                <p className="warning" role="note">
                  {classification.reason ?? 'Not sure: the note fits more than one code.'} Answer the questions below to decide.
                </p>
              ) : null}
              {classification.l1 ? (
                <div className="l1-suggestion">
                  <span>
                    {classification.abstained ? 'Best guess, not a suggestion' : 'Suggested'} L1: <strong>{classification.l1}</strong>
                  </span>
                  <ConfidenceBar value={classification.l1Confidence} label={`L1 ${classification.l1}`} />
                </div>
              ) : null}
              <fieldset className="candidates">
                <legend>Candidates, best first</legend>
                {ranked.slice(0, 5).map((c, index) => (
                  <label key={c.code} className={`candidate${c.code === chosen.code ? ' chosen' : ''}`}>
                    <input type="radio" name="candidate" value={c.code} checked={c.code === chosen.code} onChange={() => setPicked(c.code)} />
                    <span className="candidate-label">
                      {index === 0 ? <span className="badge">{classification.abstained ? 'best guess' : 'top'}</span> : null} <strong>{c.l2 ?? c.l1}</strong>
                      {c.l2 ? <span className="muted"> · {c.l1}</span> : null}
                    </span>
                    <ConfidenceBar value={c.confidence} label={formatStatus(c.l1, c.l2)} />
                  </label>
                ))}
              </fieldset>
              {classification.explanation.definitionSentence ? (
                <p className="definition">
                  <span className="muted">Playbook:</span> {classification.explanation.definitionSentence}
                </p>
              ) : null}
              {classification.explanation.invalidMatch &&
              formatStatus(classification.explanation.invalidMatch.pointsTo.l1, classification.explanation.invalidMatch.pointsTo.l2) !== formatStatus(chosen.l1, chosen.l2) ? (
                <p className="warning">
                  Close to an example the playbook says belongs to another code,{' '}
                  <strong>{formatStatus(classification.explanation.invalidMatch.pointsTo.l1, classification.explanation.invalidMatch.pointsTo.l2)}</strong>: “
                  {classification.explanation.invalidMatch.text}”
                </p>
              ) : null}
              {classification.questions.length > 0 ? (
                <fieldset className="questions">
                  <legend>Confirmation questions</legend>
                  <p className="muted small">Yes/no answers re-rank the candidates; answers in words are added to your note.</p>
                  <ul>
                    {classification.questions.map((q, i) => {
                      const kind = classifyQuestion(q.text);
                      return (
                        <li key={i} className={`question question-${kind}`}>
                          <span id={`q-${i}`}>{q.text}</span>
                          <span className="muted small"> (for {q.l2 ?? q.l1})</span>
                          {kind === 'yes-no' ? (
                            <div role="radiogroup" aria-labelledby={`q-${i}`} className="yes-no">
                              {(['yes', 'no'] as const).map((answer) => (
                                <label key={answer}>
                                  <input type="radio" name={`q-${i}`} checked={answers[i] === answer} onChange={() => setAnswers((a) => ({ ...a, [i]: answer }))} /> {answer === 'yes' ? 'Yes' : 'No'}
                                </label>
                              ))}
                              <button type="button" className="button-link" onClick={() => setAnswers((a) => ({ ...a, [i]: undefined }))} disabled={!answers[i]}>
                                Clear
                              </button>
                            </div>
                          ) : null}
                          {kind === 'open' ? (
                            <OpenAnswer
                              id={`q-${i}`}
                              added={addedAnswers.has(q.text)}
                              onAdd={(answer) => {
                                setText((note) => appendAnswer(note, answer));
                                setAddedAnswers((added) => new Set(added).add(q.text));
                              }}
                            />
                          ) : null}
                        </li>
                      );
                    })}
                  </ul>
                </fieldset>
              ) : null}
              {canEdit(me.role) ? (
                <ApplyPicker
                  candidate={chosen}
                  note={suggestion.text}
                  onApply={keepDraft}
                  target={entitlementId === null ? null : { id: entitlementId, entitlement: linked.data, missing: linked.status === 'error' && isNotFound(linked.error) }}
                />
              ) : (
                <p className="muted">Your role can read statuses but not change them.</p>
              )}
            </>
          ) : null}
        </section>

        <section aria-labelledby="examples-heading" className="card">
          <h2 id="examples-heading">Nearest playbook examples</h2>
          {classification && classification.explanation.nearestExamples.length > 0 ? (
            <ul className="examples">
              {classification.explanation.nearestExamples.map((ex, i) => (
                <li key={i}>
                  <q>{ex.text}</q>
                  <div className="muted small">
                    {ex.kind === 'invalid' ? 'Invalid example, belongs to ' : ''}
                    {formatStatus(ex.l1, ex.l2)} · similarity {ex.similarity.toFixed(2)}
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <Empty>The closest examples from the playbook appear here.</Empty>
          )}
        </section>
      </div>
    </div>
  );
}
