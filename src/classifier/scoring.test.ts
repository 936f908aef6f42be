/**
 * The fast paths of scoring and explaining give, bit for bit, what the plain loops they replaced
 * give: logits, neighbour summaries, contrasts, dot products and n-gram owners.
 */
import { describe, expect, it } from 'vitest';
import { contrastRows, dotEach, findGramOwners } from './classify.js';
import { buildFeatureSpace, countFeatures, findAllTokenParts, findTokenParts, vectoriseTokens } from './features.js';
import { computeLogits, type LinearModel } from './logreg.js';
import { computeNeighbourSimilarities, DEFAULT_OPTIONS, getPrepared, isThin, MIN_CONTENT_WORDS, thinFragments, vectoriseText, type NeighbourSummary } from './model.js';
import { createRandom } from '../lib/index.js';
import { analyseText } from './tokenize.js';
import { createEmptyVectors, trainModel, type TrainingPlaybook } from './index.js';
import type { PlaybookPage } from '../playbook/types.js';

function makeRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** The loop `computeLogits` replaced: class by class inside feature by feature, through `out`. */
function logitsPlain(model: LinearModel, x: { idx: Int32Array; val: Float32Array; dense: Float32Array }): number[] {
  const C = model.classes;
  const out = Array.from(model.bias);
  for (let i = 0; i < x.idx.length; i++) {
    for (let c = 0; c < C; c++) out[c] = (out[c] as number) + (model.weights[(x.idx[i] as number) * C + c] as number) * (x.val[i] as number);
  }
  for (let d = 0; d < x.dense.length; d++) {
    const v = x.dense[d] as number;
    if (v === 0) continue;
    for (let c = 0; c < C; c++) out[c] = (out[c] as number) + (model.denseWeights[d * C + c] as number) * v;
  }
  return out;
}

describe('computeLogits', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 27])('gives the plain loop bit for bit with %i classes', (C) => {
    const random = makeRandom(C);
    const features = 40;
    const dims = 6;
    const model: LinearModel = {
      classes: C,
      features,
      dims,
      weights: Float64Array.from({ length: features * C }, random),
      denseWeights: Float64Array.from({ length: dims * C }, random),
      bias: Float64Array.from({ length: C }, random),
    };
    for (let n = 0; n < 5; n++) {
      const idx = Int32Array.from({ length: features }, (_, f) => f).filter(() => random() < 0.3);
      const x = { idx, val: Float32Array.from(idx, random), dense: Float32Array.from({ length: dims }, (_, d) => (d % 3 === 0 ? 0 : random())), norm2: 1 };
      const out = new Float64Array(C);
      computeLogits(model, x, out);
      expect(Array.from(out)).toEqual(logitsPlain(model, x));
    }
  });
});

/** What `selectTop` did: indices of the `k` largest values, largest first, ties to the lower index. */
function selectTopPlain(values: ArrayLike<number>, k: number): number[] {
  const top: number[] = [];
  let floor = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (top.length === k && v <= floor) continue;
    let at = top.length;
    while (at > 0 && v > (values[top[at - 1] as number] as number)) at--;
    top.splice(at, 0, i);
    if (top.length > k) top.pop();
    if (top.length === k) floor = values[top[k - 1] as number] as number;
  }
  return top;
}

/** Three codes with a few scenarios each (own words). */
function createPlaybook(): TrainingPlaybook {
  const specs = [
    ['IT Staff', 'The IT team lacks people or skills.', ['IT has no one with the skills to run it.', 'The two IT admins have no time.', 'IT lost its only engineer.', 'Nobody in IT is trained on the platform.']],
    ['Network', 'Network devices or bandwidth are in the way.', ['The proxy server blocks the cloud endpoints.', 'Branch offices lack bandwidth.', 'Firewall rules drop the ports.', 'The VPN sends all traffic through one site.']],
    ['Training', 'End users are not ready for the change.', ['End users need training first.', 'No communication plan for staff.', 'Managers asked to delay for change fatigue.', 'Users resist the new tool.']],
  ] as const;
  const slug = (t: string) => t.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const pages: PlaybookPage[] = specs.map(([name, definition, valid]) => ({
    file: `blocked--${slug(name)}.md`,
    title: `Blocked - ${name}`,
    heading: name,
    frontMatter: {},
    kind: 'l2',
    l1: 'Blocked',
    l2: name,
    aliases: [],
    definition,
    valid: valid.map((text, i) => ({ text, label: name, l1: 'Blocked', l2: name, line: i + 10 })),
    invalid: [],
    questions: [{ text: `Is it really ${name}?`, children: [] }],
    workloadQuestions: [],
    history: [],
    entitlementScenarios: null,
    problems: [],
  }));
  const codes = specs.map(([name, definition]) => ({ id: `blocked/${slug(name)}`, l1: 'Blocked', l2: name, l3: null, definition, file: `blocked--${slug(name)}.md` }));
  return {
    pages,
    taxonomy: {
      version: 'scoring-fixture',
      l1s: [{ id: 'blocked', name: 'Blocked', definition: null, file: null, codes: codes.map((c) => c.id) }],
      codes,
      labels: Object.fromEntries(codes.map((c) => [c.l2.toLowerCase(), [c.id]])),
      histories: [],
    },
  };
}

describe('computeNeighbourSimilarities with a summary', () => {
  const model = trainModel(createPlaybook(), createEmptyVectors(), { folds: 2 });
  const { core } = getPrepared(model);
  const notes = [
    'IT has no one with the skills to run the new workload',
    'The proxy server blocks traffic to the cloud endpoints.',
    'End users need training before the switch',
    'budget',
    'zzzz qqqq',
    'IT IT IT proxy proxy training',
  ];

  it.each(notes)('finds the best similarity per code and the nearest neighbours of the similarities it returns: %s', (note) => {
    const { x } = vectoriseText(core.space, core.vectors, note, core.options);
    const plain = computeNeighbourSimilarities(core, x);
    for (const k of [0, 1, 5, core.neighbours.length + 2]) {
      const summary: NeighbourSummary = { k, best: new Float64Array(core.classes).fill(7), nearest: [99] };
      const sims = computeNeighbourSimilarities(core, x, new Float32Array(core.neighbours.length).fill(3), summary);
      expect(Array.from(sims)).toEqual(Array.from(plain));
      expect(summary.nearest).toEqual(selectTopPlain(plain, k));
      const best = new Array<number>(core.classes).fill(0);
      plain.forEach((s, e) => {
        const code = core.neighbourCodes[e] as number;
        if (s > (best[code] as number)) best[code] = s;
      });
      expect(Array.from(summary.best)).toEqual(best);
    }
  });

  it('breaks ties by the lower index, as many neighbours share a similarity of 0', () => {
    const { x } = vectoriseText(core.space, core.vectors, 'zzzz qqqq budget', core.options);
    const summary: NeighbourSummary = { k: 5, best: new Float64Array(core.classes), nearest: [] };
    const sims = computeNeighbourSimilarities(core, x, undefined, summary);
    expect(sims.filter((s) => s === 0).length).toBeGreaterThan(5);
    expect(summary.nearest).toEqual(selectTopPlain(sims, 5));
  });
});

describe('explanation helpers', () => {
  it('contrastRows gives row by row sums bit for bit, four rows at a time or not, and the winner alone without mass', () => {
    const random = makeRandom(5);
    const C = 7;
    const matrix = Float64Array.from({ length: 30 * C }, random);
    const p = Float64Array.from({ length: C }, () => Math.abs(random()));
    for (const rows of [[], [3], [0, 1, 2, 3], [29, 4, 17, 8, 0, 11], Array.from({ length: 30 }, (_, i) => i)]) {
      for (const winner of [0, 3, C - 1]) {
        let mass = 0;
        for (let c = 0; c < C; c++) if (c !== winner) mass += p[c] as number;
        for (const m of [mass, 0]) {
          const out = new Array<number>(rows.length).fill(0);
          contrastRows(matrix, rows, C, winner, p, m, out);
          const plain = rows.map((r) => {
            const own = matrix[r * C + winner] as number;
            if (!(m > 0)) return own;
            let others = 0;
            for (let c = 0; c < C; c++) if (c !== winner) others += (p[c] as number) * (matrix[r * C + c] as number);
            return own - others / m;
          });
          expect(out).toEqual(plain);
        }
      }
    }
  });

  it('dotEach gives each dot product bit for bit, in groups of four and the rest', () => {
    const random = makeRandom(9);
    const direction = Array.from({ length: 100 }, random);
    for (const count of [0, 1, 3, 4, 5, 9]) {
      const vectors = Array.from({ length: count }, () => Float32Array.from({ length: 100 }, random));
      const out = new Array<number>(count).fill(0);
      dotEach(vectors, direction, out);
      expect(out).toEqual(
        vectors.map((v) => {
          let s = 0;
          for (let d = 0; d < 100; d++) s += (v[d] as number) * (direction[d] as number);
          return s;
        }),
      );
    }
  });

  it('findGramOwners lists, for each n-gram of the note, the tokens that hold it, a token once per time', () => {
    const space = buildFeatureSpace(['partner partners', 'tenant tenancy', 'mailbox'].map((t) => countFeatures(analyseText(t), DEFAULT_OPTIONS)), 1);
    const vectors = createEmptyVectors();
    for (const note of ['partner tenant partner', 'tenancy tenant mailbox mailboxes', 'nothing known', 'partners']) {
      const analysed = analyseText(note);
      const x = vectoriseTokens(space, vectors, analysed, DEFAULT_OPTIONS);
      const gramIds = analysed.tokens.map((t) => findTokenParts(space, vectors, t, DEFAULT_OPTIONS).gramIds);
      const { starts, tokens } = findGramOwners(space, x.idx, gramIds);
      // The plain way: a map from each n-gram id to the tokens that hold it.
      const owners = new Map<number, number[]>();
      gramIds.forEach((ids, t) => ids.forEach((f) => owners.set(f, [...(owners.get(f) ?? []), t])));
      expect(starts.length).toBe(x.idx.length + 1);
      x.idx.forEach((f, i) => expect(tokens.slice(starts[i], starts[i + 1])).toEqual(owners.get(f) ?? []));
      expect(tokens.length).toBe([...owners.values()].reduce((n, list) => n + list.length, 0));
    }
    // The scratch is clean afterwards: a second call gives the same lists.
    const analysed = analyseText('partner tenant partner');
    const x = vectoriseTokens(space, vectors, analysed, DEFAULT_OPTIONS);
    const gramIds = analysed.tokens.map((t) => findTokenParts(space, vectors, t, DEFAULT_OPTIONS).gramIds);
    expect(findGramOwners(space, x.idx, gramIds)).toEqual(findGramOwners(space, x.idx, gramIds));
  });
});

describe('findAllTokenParts', () => {
  it('gives each token the parts findTokenParts gives, whether the tokens were the last vectorised or not', () => {
    const space = buildFeatureSpace(['partner partners', 'tenant tenancy', 'mailbox IT'].map((t) => countFeatures(analyseText(t), DEFAULT_OPTIONS)), 1);
    const vectors = createEmptyVectors();
    const analysed = analyseText('partner tenant partner mailbox IT');
    const other = analyseText('tenancy partners');
    const expected = analysed.tokens.map((t) => findTokenParts(space, vectors, t, DEFAULT_OPTIONS));
    vectoriseTokens(space, vectors, analysed, DEFAULT_OPTIONS, true);
    expect(findAllTokenParts(space, vectors, analysed.tokens, DEFAULT_OPTIONS)).toEqual(expected);
    vectoriseTokens(space, vectors, other, DEFAULT_OPTIONS, true);
    expect(findAllTokenParts(space, vectors, analysed.tokens, DEFAULT_OPTIONS)).toEqual(expected);
    const parts = findAllTokenParts(space, vectors, analysed.tokens, DEFAULT_OPTIONS);
    expect(parts.map((p) => p.lemmaId)).toEqual(analysed.tokens.map((t) => space.index.get(`w:${t.lemma}`) ?? -1));
  });
});

describe('thinFragments', () => {
  const tokens = ['proxy', 'block', 'cloud', 'proxy', 'traffic', 'endpoint'].map((lemma) => ({ norm: lemma, lemma }));

  it('gives one run per size below MIN_CONTENT_WORDS, each with exactly that many distinct lemmas, as long as it can grow', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const fragments = thinFragments(tokens, createRandom(seed));
      expect(fragments.map((f) => new Set(f.tokens.map((t) => t.lemma)).size)).toEqual(Array.from({ length: MIN_CONTENT_WORDS - 1 }, (_, i) => i + 1));
      for (const f of fragments) {
        // A contiguous run of the note's tokens.
        const start = tokens.indexOf(f.tokens[0] as (typeof tokens)[number]);
        expect(f.tokens).toEqual(tokens.slice(start, start + f.tokens.length));
        expect(isThin(f.tokens)).toBe(true);
      }
    }
  });

  it('is seeded (same runs for the same seed) and makes none for a note that is thin already', () => {
    expect(thinFragments(tokens, createRandom(9))).toEqual(thinFragments(tokens, createRandom(9)));
    expect(thinFragments(tokens.slice(0, 1), createRandom(9))).toEqual([]);
    expect(isThin(tokens)).toBe(false);
  });
});
