/** Display label of a status: `L1 / L2`, or the L1 alone for an L1-only code. */
export function formatStatus(l1: string | null | undefined, l2: string | null | undefined): string {
  if (!l1) return '—';
  return l2 ? `${l1} / ${l2}` : l1;
}

/** `YYYY-MM-DD` of a Date in UTC. */
export function toIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A readable date-time for an ISO timestamp; the input unchanged when it is not a date. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Percent with no decimals for a 0..1 share. */
export function formatPercent(share: number): string {
  return `${Math.round(Math.max(0, Math.min(1, share)) * 100)}%`;
}

/** A stable CSS class suffix for an L1 (`status-blocked`). */
export function toStatusClass(l1: string | null | undefined): string {
  return `status-${(l1 ?? 'none').toLowerCase().replace(/[^a-z]+/g, '-')}`;
}
