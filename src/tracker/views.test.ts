import { describe, expect, it } from 'vitest';
import { ENTITLEMENT_STATUS_COLUMNS } from '../db/index.js';
import type { StatusSnapshot } from './types.js';
import { ENTITLEMENT_COLUMNS, entitlementRowFromValues, snapshotColumns, statusColumnValues } from './views.js';

describe('entitlementRowFromValues', () => {
  it('names each value by its column in ENTITLEMENT_COLUMNS, in order', () => {
    const row = entitlementRowFromValues(ENTITLEMENT_COLUMNS.map((_, i) => i)) as unknown as Record<string, number>;
    const names = ENTITLEMENT_COLUMNS.map((c) => (c.includes(' as ') ? c.split(' as ')[1]! : c.split('.')[1]!));
    expect(Object.keys(row).sort()).toEqual([...names].sort());
    names.forEach((name, i) => expect(row[name]).toBe(i));
  });
});

describe('statusColumnValues', () => {
  it('gives exactly the bulk writer status columns, from the snapshot, grade and since', () => {
    const snapshot: StatusSnapshot = {
      code: 'c', l1: 'L1', l2: 'L2', l3: 'L3', taxonomyVersion: 'tv', note: 'n', targetDate: '2030-01-01', engagementStartDate: '2029-01-01', businessReason: 'br',
      owner: 'o', nextAction: 'na', nextActionDate: '2029-02-02', projectedUnblockDate: '2029-03-03',
    };
    const values = statusColumnValues(snapshot, 'B', '2029-01-05T00:00:00.000Z');
    expect(Object.keys(values).sort()).toEqual([...ENTITLEMENT_STATUS_COLUMNS].sort());
    expect({ ...values, note_grade: undefined, since: undefined }).toEqual({ ...snapshotColumns(snapshot), note_grade: undefined, since: undefined });
    expect([values.note_grade, values.since]).toEqual(['B', '2029-01-05T00:00:00.000Z']);
  });
});
