/**
 * The portfolio's columns sorted as the server sorts them (`GET /api/entitlements?sort=&order=`, and
 * so Export CSV): a whole list loaded in the browser is sorted here rather than asked for again, and
 * must come in the order the export writes. The server's rules (src/tracker/entitlements.ts
 * SORT_COLUMNS): customers by their name's key (accents and case ignored, `nameKey`), other text by
 * code point as both engines compare it (PostgreSQL in the C collation, whatever the database's locale:
 * migration 018), an empty owner last in either direction,
 * and ties by id in the same direction.
 */
import { compareCodePoints, nameKey } from '../../../src/lib/text.js';
import type { Entitlement } from '../api/types.js';

export type PortfolioSortKey = 'customer' | 'workload' | 'status' | 'owner' | 'days' | 'updated';

/** The server's sort field and order for each column, so the CSV export comes in the order on screen. */
export const SERVER_SORT: Record<PortfolioSortKey, (desc: boolean) => { sort: 'customer' | 'workload' | 'l1' | 'owner' | 'since' | 'updatedAt'; order: 'asc' | 'desc' }> = {
  customer: (desc) => ({ sort: 'customer', order: desc ? 'desc' : 'asc' }),
  workload: (desc) => ({ sort: 'workload', order: desc ? 'desc' : 'asc' }),
  status: (desc) => ({ sort: 'l1', order: desc ? 'desc' : 'asc' }),
  owner: (desc) => ({ sort: 'owner', order: desc ? 'desc' : 'asc' }),
  // Most days in status first is the oldest `since` first.
  days: (desc) => ({ sort: 'since', order: desc ? 'asc' : 'desc' }),
  updated: (desc) => ({ sort: 'updatedAt', order: desc ? 'desc' : 'asc' }),
};

/** What the server sorts each column by; null sorts last whichever the direction. */
const SORT_VALUE: Record<PortfolioSortKey, (e: Entitlement) => string | null> = {
  customer: (e) => nameKey(e.customerName),
  workload: (e) => e.workloadName,
  status: (e) => e.l1,
  owner: (e) => e.owner,
  days: (e) => e.since,
  updated: (e) => e.updatedAt,
};

/** The comparator that puts entitlements in the server's order for `key`, descending or not as the column shows it. */
export function serverOrder(key: PortfolioSortKey, desc: boolean): (a: Entitlement, b: Entitlement) => number {
  const value = SORT_VALUE[key];
  const sign = SERVER_SORT[key](desc).order === 'asc' ? 1 : -1;
  return (a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
    } else {
      const c = compareCodePoints(x, y);
      if (c !== 0) return sign * c;
    }
    return sign * (a.id - b.id);
  };
}
