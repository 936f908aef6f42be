import { formatPercent } from '../lib/format.js';

/** A labelled horizontal bar for a 0..1 confidence; exposed to assistive tech as a meter. */
export function ConfidenceBar({ value, label }: { value: number; label: string }) {
  const percent = formatPercent(value);
  return (
    <div className="confidence" role="meter" aria-label={`${label} confidence`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(value * 100)} aria-valuetext={percent}>
      <div className="confidence-track">
        <div className="confidence-fill" style={{ width: percent }} />
      </div>
      <span className="confidence-value">{percent}</span>
    </div>
  );
}
