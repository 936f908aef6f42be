import { useEffect, useState } from 'react';
import { api, type Classification, type NoteGrade } from '../api/client.js';
import { formatStatus } from '../lib/format.js';
import { useTaxonomy } from '../lib/reference-data.js';
import { useDebounced } from '../lib/use-async.js';

const DEBOUNCE_MS = 400;
/** Below this confidence a different suggestion is not worth a warning. */
const READS_AS_OTHER_MIN_CONFIDENCE = 0.6;
/** How many of the grader's findings the coach shows (errors come first). */
const MAX_FINDINGS = 3;
/** The grader's finding that the note reads as another status than the one chosen. */
const STATUS_MISMATCH = 'STATUS_MISMATCH';

/**
 * Coaches the status note as it is typed: its grade and findings for the chosen code, and a warning
 * when the note reads as another code (unless the grader's findings shown say so already). Advice only
 * (the server's warnings after saving are the record). The region is always there (the note field
 * points to it), empty while the note is empty or when the advice endpoints are unavailable.
 */
export function NoteCoach({ note, l1, l2, workload, describedById }: { note: string; l1: string; l2: string | null; workload?: string | null; describedById: string }) {
  const text = useDebounced(note.trim(), DEBOUNCE_MS);
  const taxonomy = useTaxonomy();
  // A status of an older playbook (stored before a playbook change) is unknown to the grader (400
  // UNKNOWN_CODE, and no grade at all): the note is graded on its own then.
  // It waits for the playbook to know which (when the playbook cannot be read, it asks with the status as it is).
  const ready = taxonomy.data !== undefined || taxonomy.error !== undefined;
  const known = !taxonomy.data || (taxonomy.data.l1s.some((n) => n.name === l1) && (l2 === null || taxonomy.data.codes.some((c) => c.l1 === l1 && c.l2 === l2)));
  const gradeL1 = known ? l1 || null : null;
  const gradeL2 = known ? l2 : null;
  const [advice, setAdvice] = useState<{ text: string; grade: NoteGrade; classification: Classification | null }>();
  useEffect(() => {
    if (!text) {
      setAdvice(undefined);
      return;
    }
    if (!ready) return;
    const controller = new AbortController();
    Promise.all([api.gradeNote(text, gradeL1, gradeL2, controller.signal, workload ?? null), api.classify(text, controller.signal).catch(() => null)]).then(
      ([grade, classification]) => {
        if (!controller.signal.aborted) setAdvice({ text, grade, classification });
      },
      () => {
        if (!controller.signal.aborted) setAdvice(undefined);
      },
    );
    return () => controller.abort();
  }, [text, gradeL1, gradeL2, workload, ready]);

  const findings = advice?.grade.findings.slice(0, MAX_FINDINGS) ?? [];
  const classification = advice?.classification;
  const readsAsOther =
    classification &&
    !classification.abstained &&
    classification.l1 &&
    classification.confidence >= READS_AS_OTHER_MIN_CONFIDENCE &&
    (classification.l1 !== l1 || classification.l2 !== l2) &&
    l1 &&
    // The grader's own "reads as …" finding, shown above, says it already.
    !findings.some((f) => f.code === STATUS_MISMATCH)
      ? classification
      : null;
  return (
    <div id={describedById} className={advice ? 'note-coach' : undefined} aria-live="polite">
      {advice ? (
        <>
          <span>
            Note grade: <span className={`grade grade-${advice.grade.grade}`}>{advice.grade.grade}</span>
          </span>
          {findings.length > 0 ? (
            <ul className="coach-findings">
              {findings.map((f, i) => (
                <li key={i} className={`finding-${f.severity}`}>
                  {f.message}
                  {f.fix ? <span className="fix"> {f.fix}</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
          {readsAsOther ? (
            <p className="field-warning">
              Warning: this note reads as {formatStatus(readsAsOther.l1, readsAsOther.l2)} ({Math.round(readsAsOther.confidence * 100)}%), not {formatStatus(l1, l2)}.
            </p>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
