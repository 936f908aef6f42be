import { useEffect, useState } from 'react';
import { api, type Classification, type NoteGrade } from '../api/client.js';
import { formatStatus } from '../lib/format.js';
import { useDebounced } from '../lib/use-async.js';

const DEBOUNCE_MS = 400;
/** Below this confidence a different suggestion is not worth a warning. */
const READS_AS_OTHER_MIN_CONFIDENCE = 0.6;

/**
 * Coaches the status note as it is typed: its grade and findings for the chosen code, and a warning
 * when the note reads as another code. Advice only (the server's warnings after saving are the record);
 * shows nothing while the note is empty or when the advice endpoints are unavailable.
 */
export function NoteCoach({ note, l1, l2, describedById }: { note: string; l1: string; l2: string | null; describedById: string }) {
  const text = useDebounced(note.trim(), DEBOUNCE_MS);
  const [advice, setAdvice] = useState<{ text: string; grade: NoteGrade; classification: Classification | null }>();
  useEffect(() => {
    if (!text) {
      setAdvice(undefined);
      return;
    }
    const controller = new AbortController();
    Promise.all([api.gradeNote(text, l1 || null, l2, controller.signal), api.classify(text, controller.signal).catch(() => null)]).then(
      ([grade, classification]) => {
        if (!controller.signal.aborted) setAdvice({ text, grade, classification });
      },
      () => {
        if (!controller.signal.aborted) setAdvice(undefined);
      },
    );
    return () => controller.abort();
  }, [text, l1, l2]);

  if (!advice) return null;
  const { grade, classification } = advice;
  const readsAsOther =
    classification && !classification.abstained && classification.l1 && classification.confidence >= READS_AS_OTHER_MIN_CONFIDENCE && (classification.l1 !== l1 || classification.l2 !== l2) && l1
      ? classification
      : null;
  return (
    <div id={describedById} className="note-coach" aria-live="polite">
      <span>
        Note grade: <span className={`grade grade-${grade.grade}`}>{grade.grade}</span>
      </span>
      {grade.findings.length > 0 ? (
        <ul className="coach-findings">
          {grade.findings.slice(0, 3).map((f, i) => (
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
    </div>
  );
}
