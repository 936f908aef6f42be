import type { Workload } from '../api/client.js';

/** A Triage search as the entitlement list can answer it: `q` without the workload named, and that workload's slug. */
export interface WorkloadQuery {
  q: string;
  workload: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `alias` as whole words in any case, whatever separates them (`microsoft 365 apps`, `microsoft-365-apps`). */
function wholeWords(alias: string): RegExp | undefined {
  const words = alias.match(/[\p{L}\p{N}]+/gu);
  if (!words) return undefined;
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.map(escape).join('[^\\p{L}\\p{N}]+')}(?![\\p{L}\\p{N}])`, 'iu');
}

/**
 * Triage's "Find the entitlement" takes a customer and a workload (`Contoso Teams`). The list's `q`
 * matches words of workload names too, but as words: `Contoso Teams` also finds Contoso's entitlements
 * whose note says Teams, and a slug (`m365-apps`) is no word of a name. A workload named in `query` (its name or slug, as whole
 * words, the longest name first) is read as the `workload` filter, and the rest of the text, as typed,
 * stays `q` (empty when the workload was all). Undefined when `query` names no workload.
 */
export function splitWorkloadQuery(query: string, workloads: readonly Workload[]): WorkloadQuery | undefined {
  const byLength = [...workloads].sort((a, b) => b.name.length - a.name.length);
  for (const workload of byLength) {
    for (const alias of [workload.name, workload.slug]) {
      const pattern = wholeWords(alias);
      if (!pattern || !pattern.test(query)) continue;
      return { q: query.replace(pattern, ' ').replace(/\s+/g, ' ').trim(), workload: workload.slug };
    }
  }
  return undefined;
}
