import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentDigest, findStaleReason, makeStamp } from '../scripts/build-web.js';

const root = mkdtempSync(join(tmpdir(), 'unblock-build-web-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const stamp = join(root, 'dist', 'web-build.json');
const write = (file: string, text: string) => writeFileSync(join(root, file), text);
/** Sets a file's modification time to now + `offsetMs`. */
const touch = (file: string, offsetMs = 0) => {
  const time = new Date(Date.now() + offsetMs);
  utimesSync(join(root, file), time, time);
};
/** Records a build of `inputs` that started `agoMs` ago, as build-web does after building. */
const recordBuild = (inputs: string[], agoMs = 1000) => writeFileSync(stamp, JSON.stringify(makeStamp(root, Date.now() - agoMs, inputs)));

const LOCK = {
  name: 'unblock',
  lockfileVersion: 3,
  requires: true,
  packages: { '': { name: 'unblock', dependencies: { vite: '^7.0.0' } }, 'node_modules/vite': { version: '7.1.0', resolved: 'https://registry.example/vite-7.1.0.tgz' } },
};

describe('build-web staleness', () => {
  it('builds when web/dist or the record is missing, when an input changed or is gone, and skips otherwise', () => {
    expect(findStaleReason(root, stamp)).toBe('web/dist is missing');
    mkdirSync(join(root, 'web', 'dist'), { recursive: true });
    mkdirSync(join(root, 'web', 'src'), { recursive: true });
    mkdirSync(join(root, 'dist'), { recursive: true });
    write('web/dist/index.html', '<!doctype html>');
    expect(findStaleReason(root, stamp)).toBe('no record of the last build');
    write('web/src/main.tsx', 'export {};');
    touch('web/src/main.tsx', -60_000);
    recordBuild(['web/src/main.tsx']);
    expect(findStaleReason(root, stamp)).toBeUndefined();
    write('web/src/main.tsx', 'export const x = 1;');
    expect(findStaleReason(root, stamp)).toBe('web/src/main.tsx changed');
    touch('web/src/main.tsx', -60_000);
    writeFileSync(stamp, JSON.stringify({ ...makeStamp(root, Date.now(), ['web/src/main.tsx']), inputs: ['web/src/main.tsx', 'web/src/gone.tsx'] }));
    expect(findStaleReason(root, stamp)).toBe('web/src/gone.tsx is gone');
  });

  it('goes by content: a file rewritten unchanged (npm install and package-lock.json) is up to date, a web source edited is not', () => {
    write('package-lock.json', `${JSON.stringify(LOCK, null, 2)}\n`);
    write('web/src/main.tsx', 'export {};');
    touch('package-lock.json', -60_000);
    touch('web/src/main.tsx', -60_000);
    recordBuild(['package-lock.json', 'web/src/main.tsx']);
    expect(findStaleReason(root, stamp)).toBeUndefined();

    // npm install writes the same lock again: newer than the build, same content.
    write('package-lock.json', `${JSON.stringify(LOCK, null, 2)}\n`);
    touch('package-lock.json', 60_000);
    expect(findStaleReason(root, stamp)).toBeUndefined();
    // ... or the same data laid out otherwise.
    const { packages, ...rest } = LOCK;
    write('package-lock.json', JSON.stringify({ packages, ...rest }, null, 4));
    expect(findStaleReason(root, stamp)).toBeUndefined();
    // A dependency that did change.
    write('package-lock.json', JSON.stringify({ ...LOCK, packages: { ...LOCK.packages, 'node_modules/vite': { version: '7.1.1' } } }, null, 2));
    expect(findStaleReason(root, stamp)).toBe('package-lock.json changed');

    touch('package-lock.json', -60_000);
    recordBuild(['package-lock.json', 'web/src/main.tsx']);
    expect(findStaleReason(root, stamp)).toBeUndefined();
    // A web source saved again as it was is not a change; an edit is, even with an old time.
    write('web/src/main.tsx', 'export {};');
    touch('web/src/main.tsx', 60_000);
    expect(findStaleReason(root, stamp)).toBeUndefined();
    write('web/src/main.tsx', 'export const edited = true;');
    touch('web/src/main.tsx', -60_000);
    expect(findStaleReason(root, stamp)).toBe('web/src/main.tsx changed');
  });

  it('builds again after a build whose input changed while Vite ran, and after a record without digests', () => {
    write('web/src/main.tsx', 'export {};');
    touch('web/src/main.tsx', 5_000);
    const during = makeStamp(root, Date.now(), ['web/src/main.tsx']);
    expect(during.digests).toEqual({ 'web/src/main.tsx': null });
    writeFileSync(stamp, JSON.stringify(during));
    expect(findStaleReason(root, stamp)).toBe('web/src/main.tsx changed');

    writeFileSync(stamp, JSON.stringify({ builtAt: Date.now() + 60_000, inputs: ['web/src/main.tsx'] }));
    expect(findStaleReason(root, stamp)).toBe('the record of the last build has no content digests');
  });

  it('digests a JSON file by its data and any other file by its bytes', () => {
    write('a.json', '{"b": 1, "a": [1, 2]}');
    write('b.json', '{\n  "a": [1, 2],\n  "b": 1\n}\n');
    write('c.json', '{"a": [2, 1], "b": 1}');
    expect(contentDigest(join(root, 'a.json'))).toBe(contentDigest(join(root, 'b.json')));
    expect(contentDigest(join(root, 'a.json'))).not.toBe(contentDigest(join(root, 'c.json')));
    write('x.ts', 'const a = 1;');
    write('y.ts', 'const a = 1; ');
    expect(contentDigest(join(root, 'x.ts'))).not.toBe(contentDigest(join(root, 'y.ts')));
  });
});
