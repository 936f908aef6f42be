import { describe, expect, it } from 'vitest';
import { ENTITLEMENT_COLUMNS, entitlementRowFromValues } from './views.js';

describe('entitlementRowFromValues', () => {
  it('names each value by its column in ENTITLEMENT_COLUMNS, in order', () => {
    const row = entitlementRowFromValues(ENTITLEMENT_COLUMNS.map((_, i) => i)) as unknown as Record<string, number>;
    const names = ENTITLEMENT_COLUMNS.map((c) => (c.includes(' as ') ? c.split(' as ')[1]! : c.split('.')[1]!));
    expect(Object.keys(row).sort()).toEqual([...names].sort());
    names.forEach((name, i) => expect(row[name]).toBe(i));
  });
});
