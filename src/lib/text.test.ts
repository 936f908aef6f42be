import { describe, expect, it } from 'vitest';
import { collapseWhitespace, nameKey, normalizeLabel, slugify } from './text.js';

describe('slugify', () => {
  it.each([
    ['Blocked', 'blocked'],
    ['Duplicate/Invalid', 'duplicate-invalid'],
    ['Security/Privacy (Non-Product/Feature)', 'security-privacy-non-product-feature'],
    ['Billing, Licensing and Subscription', 'billing-licensing-and-subscription'],
    ['  Änderungs­management  ', 'anderungs-management'],
    ['IT-Änderungsmanagement', 'it-anderungsmanagement'],
    ['アプリの互換性', 'アプリの互換性'],
    ['\u200BApp\u00A0Compatibility', 'app-compatibility'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(slugify(input)).toBe(expected);
  });
});

describe('normalizeLabel', () => {
  it.each([
    ['Customer IT Infrastructure and Remediation', 'customer it infrastructure remediation'],
    ['Customer IT Infrastructure, Remediation', 'customer it infrastructure remediation'],
    ['customer it infrastructure & remediation', 'customer it infrastructure remediation'],
    ['Product / Feature Capability', 'product feature capability'],
    ['Product Feature/Capability', 'product feature capability'],
    ['New Subscription or Workload', 'new subscription workload'],
    ['\uFEFF**Legal/Regulatory**\u200B', 'legal regulatory'],
    ['ＡＰＰ　Ｃｏｍｐａｔｉｂｉｌｉｔｙ', 'app compatibility'],
    ['Compatibilidad de aplicaciones', 'compatibilidad de aplicaciones'],
    ['Gültige Lösung und Übernahme', 'gultige losung ubernahme'],
    ['ユーザー導入', 'ユーザー導入'],
    ['---', ''],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeLabel(input)).toBe(expected);
  });

  it('keeps Japanese voiced kana intact', () => {
    expect(normalizeLabel('ガバナンス')).toBe('ガバナンス'.normalize('NFC'));
  });
});

describe('collapseWhitespace', () => {
  it('folds NBSP, tabs, newlines and zero-width characters', () => {
    expect(collapseWhitespace(' a\u00A0\tb\r\n c\u200B ')).toBe('a b c');
  });
});

describe('nameKey', () => {
  it('folds case, accents and spacing, so an A-Z list and a search read names as people do', () => {
    expect(nameKey('Émile  Ltd')).toBe('emile ltd');
    expect(nameKey('MÜLLER AG')).toBe('muller ag');
    expect(nameKey('Œuvre Straße')).toBe('oeuvre strasse');
    expect(nameKey('Øresund Łódź')).toBe('oresund lodz');
    expect(nameKey('ＡＣＭＥ\u200B Corp')).toBe('acme corp');
    // Other scripts keep their letters (lower-cased where they have case).
    expect(nameKey('ΟΔΟΣ Δ')).toBe('οδοσ δ');
    expect(nameKey('東京 ガス')).toBe('東京 ガス');
    const sorted = ['Zeta', 'adatum', 'Ärzte', 'bravo', 'Émile'].sort((a, b) => (nameKey(a) < nameKey(b) ? -1 : 1));
    expect(sorted).toEqual(['adatum', 'Ärzte', 'bravo', 'Émile', 'Zeta']);
  });
});
