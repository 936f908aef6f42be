import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findStaleReason } from '../scripts/build-web.js';

const root = mkdtempSync(join(tmpdir(), 'unblock-build-web-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('build-web staleness', () => {
  it('builds when web/dist or the record is missing, when an input changed or is gone, and skips otherwise', () => {
    const stamp = join(root, 'dist', 'web-build.json');
    expect(findStaleReason(root, stamp)).toBe('web/dist is missing');
    mkdirSync(join(root, 'web', 'dist'), { recursive: true });
    mkdirSync(join(root, 'web', 'src'), { recursive: true });
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(join(root, 'web', 'dist', 'index.html'), '<!doctype html>');
    expect(findStaleReason(root, stamp)).toBe('no record of the last build');
    writeFileSync(join(root, 'web', 'src', 'main.tsx'), 'export {};');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(root, 'web', 'src', 'main.tsx'), past, past);
    writeFileSync(stamp, JSON.stringify({ builtAt: Date.now() - 1000, inputs: ['web/src/main.tsx'] }));
    expect(findStaleReason(root, stamp)).toBeUndefined();
    writeFileSync(join(root, 'web', 'src', 'main.tsx'), 'export const x = 1;');
    expect(findStaleReason(root, stamp)).toBe('web/src/main.tsx changed');
    writeFileSync(stamp, JSON.stringify({ builtAt: Date.now() + 1000, inputs: ['web/src/main.tsx', 'web/src/gone.tsx'] }));
    expect(findStaleReason(root, stamp)).toBe('web/src/gone.tsx is gone');
  });
});
