/**
 * `node dist/scripts/classify-fingerprint.js`: classifies every note of eval/dev and eval/dev2 with
 * the built-in model (dist/assets, loaded as the app loads it) and prints a sha256 of the JSON of all
 * the results. A change meant to make classification faster without changing what it answers must
 * leave the hash as it was. Besides the plain pass it runs the notes again in reverse order (the
 * per-token memos are warm then), without explanations, and on a few edge cases (thin, foreign,
 * empty, long notes), since each takes a different path. Prints a hash per part too, to tell which
 * part changed.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify, prepareModel, type Classification } from '../src/classifier/index.js';
import { findPackageRoot, getAssetsDir, loadVectors, readModelFile } from '../src/app/index.js';

function readTexts(dir: string): string[] {
  const texts: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (line.trim()) texts.push((JSON.parse(line) as { text: string }).text);
    }
  }
  return texts;
}

const EDGE_CASES = [
  '',
  '   ',
  'see email',
  'still pending',
  'In progress',
  'no intent',
  'Blocked',
  'IT has not approved the change; they haven\'t replied since the CAB meeting.',
  'El cliente no quiere migrar porque la ley no lo permite para los datos',
  'Der Kunde hat die Migration wegen der Datenschutz nicht gestartet und wartet noch',
  '\u0000\u0001\u0002 binary junk \u0003\u0004',
  '数据不能存储在国外的云服务中',
  'constructor toString hasOwnProperty __proto__ prototype valueOf',
  'Customer cannot move to Teams: their self-service add-ins don\u2019t work on the new client, and the on-prem SCCM is down.',
];

function main(): void {
  const root = findPackageRoot();
  const texts = [...readTexts(join(root, 'eval', 'dev')), ...readTexts(join(root, 'eval', 'dev2'))];
  const long = `${texts.slice(0, 80).join(' ')} `.repeat(3);
  const data = readModelFile(join(getAssetsDir(), 'model.json'));
  if (!data) throw new Error('dist/assets/model.json is missing or from another trainer; run `npm run build`.');
  const model = prepareModel(data, loadVectors());
  const parts: [string, Classification[]][] = [
    ['dev+dev2', texts.map((t) => classify(model, t))],
    ['reversed, warm', [...texts].reverse().map((t) => classify(model, t))],
    ['without explanation', texts.map((t) => classify(model, t, { explain: false }))],
    ['top 10', texts.slice(0, 60).map((t) => classify(model, t, { top: 10 }))],
    ['edge cases', [...EDGE_CASES, long].map((t) => classify(model, t))],
  ];
  const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
  for (const [name, results] of parts) process.stdout.write(`${name}: ${results.length} notes, sha256 ${hash(results)}\n`);
  process.stdout.write(`all: sha256 ${hash(parts)}\n`);
}

main();
