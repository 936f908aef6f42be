import { describe, expect, it } from 'vitest';
import type { PlaybookPage, Scenario } from '../playbook/types.js';
import type { Taxonomy } from '../taxonomy/types.js';
import { fitTemperature } from './calibration.js';
import { softmaxInPlace } from './logreg.js';
import { classify, computeEce, createEmptyVectors, crossValidate, evaluate, MAX_NOTE_CHARS, prepareModel, trainModel, type TrainingPlaybook } from './index.js';
import { rankCodes } from './classify.js';

type CodeSpec = { l1: string; l2: string | null; definition: string; valid: string[]; invalid: [string, string][]; questions: string[] };

const SPECS: CodeSpec[] = [
  {
    l1: 'Blocked',
    l2: 'IT Change Management and Resourcing',
    definition:
      'The IT organisation cannot absorb the change. Its teams lack staff, skills or budget to run the rollout, or their processes for testing and updates break under a service that changes every month. Technology problems belong to Customer IT Infrastructure and Remediation.',
    valid: [
      'The IT team has only two admins and no time to take on the rollout.',
      'Nobody in IT has the skills to manage the new device platform.',
      'IT change board insists on testing every monthly update and cannot keep up.',
      'Budget for extra IT staff was refused so the deployment waits.',
      'Helpdesk is not trained to support the new service and IT will not go live.',
      'The IT operations team has no process for the continual release cadence.',
      'IT lost its only engineer who knew the identity setup and hiring takes months.',
      'IT admins are stretched by another project and have no capacity this quarter.',
    ],
    invalid: [
      ['End users have not been trained and the business wants a communication plan first.', 'Adoption Readiness'],
      ['The old firewall drops connections to the cloud service.', 'Customer IT Infrastructure and Remediation'],
    ],
    questions: ['Does the IT team have the people and skills to run the service?', 'Is the blocker technology, or the IT staff and process? (If technology, it may be Customer IT Infrastructure and Remediation.)'],
  },
  {
    l1: 'Blocked',
    l2: 'Customer IT Infrastructure and Remediation',
    definition: 'The customer technology is in the way: network devices, firewalls, proxies, bandwidth, old clients or directory problems. Never people or process.',
    valid: [
      'The proxy server blocks traffic to the cloud endpoints.',
      'Branch offices have too little bandwidth for video meetings.',
      'Old Windows 7 desktops cannot run the current client.',
      'The firewall rules drop the required ports and must be changed.',
      'Directory sync fails because of duplicate accounts in the on-site directory.',
      'Network devices at the sites are end of life and need replacing first.',
      'Outdated browsers on the kiosks cannot open the web app.',
      'The VPN hairpins all traffic through headquarters and calls stutter.',
    ],
    invalid: [['IT has nobody with the skills to reconfigure the network.', 'IT Change Management and Resourcing']],
    questions: ['Which device, network or client is in the way?', 'Has a network assessment been done?'],
  },
  {
    l1: 'Blocked',
    l2: 'Adoption Readiness',
    definition: 'The business side is not ready: end-user training, communication, champions and culture. Never IT staff or technology.',
    valid: [
      'End users need training before the switch and none is planned.',
      'The business wants a champions network before go-live.',
      'Staff are change fatigued and managers asked to delay.',
      'No communication plan for employees has been written yet.',
      'Department heads have not agreed how teams will work in the new tool.',
      'Works council wants an information session for employees first.',
      'Users resist giving up their old habits and the business is not ready.',
      'Training calendar for the sales teams is not approved.',
    ],
    invalid: [['IT admins have not been trained on the admin console.', 'IT Change Management and Resourcing']],
    questions: ['Is the business ready to use the service: training, communication, champions?', 'Are end users or IT staff the ones not ready?'],
  },
  {
    l1: 'No Intent',
    l2: 'Using Competitive Solution',
    definition: 'The customer does not mean to use the service because a rival product does the job.',
    valid: [
      'They use a rival chat tool and see no reason to switch.',
      'Customer is standardised on a competitor for email and renewed for three years.',
      'A rival video meetings product is the corporate standard.',
      'They store files with another cloud storage vendor and are happy.',
      'Customer picked a competing device management product last year.',
      'Leadership prefers the rival suite and will not evaluate ours.',
      'Competitor offered a steep discount and won the renewal.',
      'The rival identity provider is already rolled out everywhere.',
    ],
    invalid: [['They use our own on-premises mail server and see no reason to move.', 'Using Microsoft On-Premises Solution']],
    questions: ['Which product does the job today?', 'What would make the customer reconsider?'],
  },
  {
    l1: 'Status Unknown',
    l2: 'Customer Unresponsive',
    definition: 'Several contact attempts over several channels got no answer, so the intent is unknown.',
    valid: [
      'Three emails and two calls, no reply from the customer.',
      'Customer has not answered any outreach in six weeks.',
      'Contact left the company and nobody else responds.',
      'Sent meeting invites twice, both ignored.',
      'No response to email, phone or the account manager.',
      'Customer went silent after the first call.',
      'Tried to reach the sponsor four times without an answer.',
      'Voicemails and emails unanswered for a month.',
    ],
    invalid: [['The customer replied that they use a rival chat tool.', 'Using Competitive Solution']],
    questions: ['How many attempts, over which channels?', 'Is the account managed?'],
  },
];

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const idOf = (l1: string, l2: string | null) => (l2 ? `${slug(l1)}/${slug(l2)}` : slug(l1));

function scenario(text: string, name: string, line: number): Scenario {
  const spec = SPECS.find((s) => s.l2 === name);
  return { text, label: name, l1: spec?.l1 ?? (name === 'Using Microsoft On-Premises Solution' ? 'No Intent' : null), l2: spec || name === 'Using Microsoft On-Premises Solution' ? name : null, line };
}

/** A small hand-made page set (own words), with the taxonomy the playbook module would build. */
export function createFixturePlaybook(specs: CodeSpec[] = SPECS): TrainingPlaybook {
  const pages: PlaybookPage[] = specs.map((spec) => ({
    file: `${slug(spec.l1)}--${slug(spec.l2 ?? '')}.md`,
    title: `${spec.l1} - ${spec.l2}`,
    heading: spec.l2,
    frontMatter: {},
    kind: 'l2',
    l1: spec.l1,
    l2: spec.l2,
    aliases: [],
    definition: spec.definition,
    valid: spec.valid.map((t, i) => scenario(t, spec.l2 ?? spec.l1, i + 10)),
    invalid: spec.invalid.map(([t, l], i) => scenario(t, l, i + 30)),
    questions: spec.questions.map((text) => ({ text, children: [] })),
    workloadQuestions: [],
    history: [],
    entitlementScenarios: null,
    problems: [],
  }));
  const codes = specs.map((s) => ({ id: idOf(s.l1, s.l2), l1: s.l1, l2: s.l2, l3: null, definition: s.definition, file: `${slug(s.l1)}--${slug(s.l2 ?? '')}.md` }));
  const l1Names = [...new Set(specs.map((s) => s.l1))];
  const taxonomy: Taxonomy = {
    version: `fixture${specs.length}`,
    l1s: l1Names.map((name) => ({ id: slug(name), name, definition: null, file: null, codes: codes.filter((c) => c.l1 === name).map((c) => c.id) })),
    codes,
    labels: Object.fromEntries(codes.map((c) => [(c.l2 ?? c.l1).toLowerCase().replace(/[^a-z0-9]+/g, ' ').replace(/\band\b/g, '').replace(/\s+/g, ' ').trim(), [c.id]])),
    histories: [],
  };
  return { pages, taxonomy };
}

const vectors = createEmptyVectors();
const playbook = createFixturePlaybook();
const model = trainModel(playbook, vectors, { folds: 4 });

describe('classify', () => {
  it('answers a clear note with the right code, its L1 and an explanation', () => {
    const result = classify(model, 'IT has no one with the skills to run the new workload');
    expect(result.l2).toBe('IT Change Management and Resourcing');
    expect(result.l1).toBe('Blocked');
    expect(result.code).toBe('blocked/it-change-management-and-resourcing');
    expect(result.explanation.nearestExamples.length).toBeGreaterThan(0);
    const sims = result.explanation.nearestExamples.map((e) => e.similarity);
    expect([...sims].sort((a, b) => b - a)).toEqual(sims);
    expect(result.explanation.terms.map((t) => t.term)).toContain('skills');
    const definition = SPECS[0]?.definition ?? '';
    expect(result.explanation.definitionSentence && definition.includes(result.explanation.definitionSentence)).toBe(true);
  });

  it('reports an invalid example that matches and the code it points to', () => {
    const result = classify(model, 'IT admins have not been trained on the admin console yet.');
    expect(result.explanation.invalidMatch?.pointsTo.l2).toBe('IT Change Management and Resourcing');
    expect(result.l2).toBe('IT Change Management and Resourcing');
  });

  it('keeps L1 probability equal to the sum of its L2 probabilities', () => {
    for (const text of ['The firewall drops traffic and IT has no staff to fix it', 'users need training and no communication plan exists', 'no reply to three emails']) {
      const result = classify(model, text, { top: 50 });
      const all = [{ l1: result.l1, confidence: result.confidence }, ...result.alternatives];
      expect(all).toHaveLength(SPECS.length);
      expect(all.reduce((s, c) => s + c.confidence, 0)).toBeCloseTo(1, 3);
      const sameL1 = all.filter((c) => c.l1 === result.l1).reduce((s, c) => s + c.confidence, 0);
      expect(result.l1Confidence).toBeCloseTo(sameL1, 3);
      expect(result.l1Confidence).toBeGreaterThanOrEqual(result.confidence);
    }
  });

  it('abstains when the top two are close, with questions from their pages', () => {
    const strict = prepareModel({ ...model.data, options: { ...model.data.options, minMargin: 0.99 } }, vectors);
    const result = classify(strict, 'The firewall blocks the cloud and IT has nobody with the skills to change it');
    expect(result.abstained).toBe(true);
    expect(result.reason).toMatch(/close|below/);
    expect(result.questions.length).toBeGreaterThan(0);
    const top2 = [result.l2, result.alternatives[0]?.l2];
    for (const q of result.questions) expect(top2).toContain(q.l2);
    const pageQuestions = SPECS.flatMap((s) => s.questions);
    for (const q of result.questions) expect(pageQuestions).toContain(q.text);
  });

  it('abstains on its own whenever confidence or margin falls below the thresholds', () => {
    const { minConfidence, minMargin } = model.data.options;
    for (const text of ['firewall training rival silent', 'IT users network', 'the staff and the network and the competitor', 'no reply about the proxy']) {
      const r = classify(model, text, { top: 2 });
      const margin = r.confidence - (r.alternatives[0]?.confidence ?? 0);
      expect(r.abstained).toBe(r.confidence < minConfidence || margin < minMargin - 1e-4);
    }
  });

  it('says when the L1 is clear but the L2 is not', () => {
    const strict = prepareModel({ ...model.data, options: { ...model.data.options, minConfidence: 0.999 } }, vectors);
    const result = classify(strict, 'The firewall blocks the cloud and IT has nobody with the skills to change it');
    if (result.l1Confidence >= 0.75 && result.alternatives[0]?.l1 === result.l1) expect(result.reason).toMatch(/L1 is clear/);
    else expect(result.reason).toMatch(/Not sure/);
  });

  const badInputs: [string, string, (r: ReturnType<typeof classify>) => void][] = [
    ['empty', '', (r) => expect(r.reason).toMatch(/empty/)],
    ['whitespace', ' \n\t  ', (r) => expect(r.reason).toMatch(/empty/)],
    ['one word', 'firewall', (r) => expect(r.reason).toMatch(/single word/)],
    ['binary junk', '\u0000\u0001\u0002\u00ff\u0003\u0004garbage\u0005\u0006\u0007\u0008\u000e\u000f', (r) => expect(r.reason).toMatch(/readable text/)],
    ['symbols', '#### $$$ %%% ^^^ *** 1234 5678', (r) => expect(r.reason).toMatch(/readable text/)],
    ['Spanish', 'El cliente no tiene personal de TI para el despliegue y la migración de los buzones', (r) => expect(r.reason).toMatch(/English/)],
    ['Japanese', 'お客様のIT部門には新しいサービスを運用するスキルがありません', (r) => expect(r.reason).toMatch(/English/)],
    ['unknown words', 'zzqx vvbn qqpw', (r) => expect(r.reason).toBeTruthy()],
    ['two vague words', 'still pending', (r) => expect(r.reason).toMatch(/too short to choose/)],
    ['a vague phrase', 'waiting on the customer', (r) => expect(r.reason).toMatch(/too short to choose/)],
  ];
  it.each(badInputs)('abstains clearly on %s input', (_name, text, check) => {
    const result = classify(model, text);
    expect(result.abstained).toBe(true);
    check(result);
  });

  it('answers short notes with three content words or more, and keeps the best guess of a thin one', () => {
    const short = classify(model, 'Firewall blocks cloud');
    expect(short.reason ?? '').not.toMatch(/too short/);
    const thin = classify(model, 'see email');
    expect([thin.abstained, thin.code !== null, thin.questions.length > 0]).toEqual([true, true, true]);
  });

  it("gives a thin note the confidence of the thin-note temperature, not the main one's", () => {
    expect(model.data.thinTemperature).toBeDefined();
    const note = 'proxy blocks';
    const withThin = classify(model, note);
    const asTrained = classify(prepareModel({ ...model.data, thinTemperature: model.data.temperature }, model.vectors), note);
    expect(withThin.code).toBe(asTrained.code);
    expect(withThin.confidence).not.toBe(asTrained.confidence);
    expect(withThin.confidence < asTrained.confidence).toBe((model.data.thinTemperature ?? 0) > model.data.temperature);
    // A full note is not touched by the thin temperature.
    const full = 'The proxy server blocks traffic to the cloud endpoints.';
    expect(classify(model, full).confidence).toBe(classify(prepareModel({ ...model.data, thinTemperature: 50 }, model.vectors), full).confidence);
  });

  it('truncates a 1 MB note with a warning and still answers', () => {
    const note = 'The proxy server blocks traffic to the cloud endpoints. '.repeat(Math.ceil(1_000_000 / 56));
    const result = classify(model, note);
    expect(result.warnings.join(' ')).toMatch(new RegExp(`first ${MAX_NOTE_CHARS}`));
    expect(result.l2).toBe('Customer IT Infrastructure and Remediation');
  });

  it('answers a note with words that are names of object properties ("constructor") instead of failing', () => {
    const result = classify(model, 'The constructor of the new building has no network; the proxy blocks the cloud.');
    expect(result.l2).toBe('Customer IT Infrastructure and Remediation');
    expect(() => classify(model, 'constructor __proto__ toString valueOf hasOwnProperty')).not.toThrow();
  });

  it('gives the same answer to a note whatever was classified before, and keeps earlier answers intact', () => {
    const notes = ['IT has no one with the skills to run the new workload', 'The proxy server blocks traffic to the cloud endpoints.', 'End users need training', 'budget budget'];
    const first = notes.map((n) => classify(model, n));
    const frozen = first.map((r) => JSON.stringify(r));
    const again = [...notes].reverse().map((n) => classify(model, n)).reverse();
    expect(again.map((r) => JSON.stringify(r))).toEqual(frozen);
    expect(first.map((r) => JSON.stringify(r))).toEqual(frozen);
  });

  it('abstains rather than answer with a page set of one code', () => {
    const single = trainModel(createFixturePlaybook(SPECS.slice(0, 1)), vectors);
    const result = classify(single, 'IT has no one with the skills to run the new workload');
    expect(result.abstained).toBe(true);
    expect(result.l2).toBeNull();
    expect(result.reason).toMatch(/only one code/);
  });

  it('says how many codes the page set defines when only one of them has examples to learn from', () => {
    // A second page that names its code but has no example yet: the set defines two codes, the model knows one.
    const unwritten: CodeSpec = { l1: 'Blocked', l2: 'Proxy Trouble', definition: '', valid: [], invalid: [], questions: [] };
    const pages = createFixturePlaybook([SPECS[0] as CodeSpec, unwritten]);
    expect(pages.taxonomy.codes).toHaveLength(2);
    const result = classify(trainModel(pages, vectors), 'IT has no one with the skills to run the new workload');
    expect(result.abstained).toBe(true);
    expect(result.reason).toBe("Only one of the page set's 2 codes (IT Change Management and Resourcing) has examples to learn from; there is nothing to choose between.");
  });
});

describe('training', () => {
  it('is deterministic and survives a JSON round trip', () => {
    const again = trainModel(playbook, vectors, { folds: 4 });
    expect(JSON.stringify(again.data)).toBe(JSON.stringify(model.data));
    const loaded = prepareModel(JSON.parse(JSON.stringify(model.data)), vectors);
    const text = 'Users need training before the switch';
    expect(classify(loaded, text)).toEqual(classify(model, text));
  });

  it('uses invalid examples as hard negatives for their page', () => {
    const without = trainModel(playbook, vectors, { folds: 4, hardNegativeWeight: 0 });
    const text = 'The business wants users trained and IT wants a plan first.';
    const p = (m: typeof model) => {
      const r = classify(m, text, { top: 50 });
      return [{ l2: r.l2, confidence: r.confidence }, ...r.alternatives].find((c) => c.l2 === 'IT Change Management and Resourcing')?.confidence ?? 0;
    };
    expect(p(model)).toBeLessThan(p(without));
  });
});

describe('calibration and evaluation', () => {
  it('fits a temperature on cross-validation folds that lowers the calibration error', () => {
    const cv = crossValidate(playbook, vectors, 4);
    const named = new Set(SPECS.map((c) => c.l2));
    expect(cv.examples).toBe(SPECS.reduce((s, c) => s + c.valid.length + c.invalid.filter(([, l]) => named.has(l)).length, 0));
    expect(cv.ece).toBeLessThan(0.2);
    expect(cv.top1).toBeGreaterThan(0.6);
    expect(model.data.temperature).toBeCloseTo(cv.temperature, 6);
  });

  it('fits a temperature that cools an overconfident model and lowers its calibration error', () => {
    const logits: Float64Array[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 200; i++) {
      const z = new Float64Array(4);
      z[i % 4] = 6;
      logits.push(z);
      labels.push(i % 3 === 0 ? (i + 1) % 4 : i % 4);
    }
    const t = fitTemperature(logits, labels);
    expect(t).toBeGreaterThan(1);
    const eceAt = (temperature: number) =>
      computeEce(
        logits.map((z, i) => {
          const p = Float64Array.from(z);
          softmaxInPlace(p, temperature);
          return { confidence: Math.max(...p), correct: p.indexOf(Math.max(...p)) === labels[i] };
        }),
      );
    expect(eceAt(t)).toBeLessThan(eceAt(1) / 2);
  });

  it('evaluates labelled notes: accuracy, per-code figures, confusion', () => {
    const notes = [
      { text: 'IT has no one with the skills to run the new workload', code: 'blocked/it-change-management-and-resourcing' },
      { text: 'the proxy blocks the service', code: 'blocked/customer-it-infrastructure-and-remediation' },
      { text: 'no reply to five emails and three calls', code: 'status-unknown/customer-unresponsive' },
      { text: 'no reply to five emails and three calls', code: 'blocked/adoption-readiness' },
    ];
    const e = evaluate(model, notes);
    expect(e.count).toBe(4);
    expect(e.top1).toBeCloseTo(0.75, 5);
    expect(e.top3).toBeGreaterThanOrEqual(e.top1);
    expect(e.confusedPairs[0]).toEqual({ expected: 'blocked/adoption-readiness', predicted: 'status-unknown/customer-unresponsive', count: 1 });
    const unresponsive = e.perCode.find((c) => c.code === 'status-unknown/customer-unresponsive');
    expect(unresponsive?.precision).toBeCloseTo(0.5, 5);
    expect(unresponsive?.recall).toBe(1);
    expect(e.ece).toBeGreaterThanOrEqual(0);
  });
});

describe('rankCodes order', () => {
  it('lists the codes as the comparator sort did: most probable first, ties by the lower index', () => {
    const random = (() => {
      let x = 12345;
      return () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
    })();
    const l1s = [{ name: 'All', codes: Array.from({ length: 19 }, (_, i) => i) }];
    for (let n = 0; n < 200; n++) {
      // Few distinct values, so that ties are common.
      const p = Float64Array.from({ length: 19 }, () => Math.floor(random() * 5) / 10);
      const expected = [...p.keys()].sort((a, b) => (p[b] as number) - (p[a] as number) || a - b);
      expect(rankCodes(p, l1s).order).toEqual(expected);
    }
  });
});

describe('rankCodes', () => {
  const l1s = [
    { name: 'Status Unknown', codes: [0] },
    { name: 'Blocked', codes: [1, 2, 3] },
  ];

  it('answers the best L2 of the most probable L1, even when a code of another L1 is more probable alone', () => {
    const { order, l1Confidence } = rankCodes(Float64Array.from([0.32, 0.23, 0.22, 0.23]), l1s);
    expect(order[0]).toBe(1);
    expect(order.slice(1)).toEqual([0, 3, 2]);
    expect(l1Confidence).toBeCloseTo(0.68);
  });

  it('keeps plain probability order when the most probable code is in the most probable L1', () => {
    expect(rankCodes(Float64Array.from([0.6, 0.2, 0.1, 0.1]), l1s)).toEqual({ order: [0, 1, 2, 3], l1Confidence: 0.6 });
  });
});

describe('the answer and its L1', () => {
  const notes = [
    'Customer cannot deploy right now.',
    'The proxy and the IT team both slow things down',
    'Nobody answers and the firewall blocks the cloud',
    'budget and skills are short, legal still reviewing',
    'IT has no one with the skills to run the new workload',
    'The customer went quiet after the licence renewal',
  ];
  it.each(notes)('names an L1 that no other L1 outweighs: %s', (note) => {
    const r = classify(model, note, { top: 50, explain: false });
    const mass = new Map<string, number>();
    for (const c of [r, ...r.alternatives]) mass.set(c.l1 as string, (mass.get(c.l1 as string) ?? 0) + c.confidence);
    const best = Math.max(...mass.values());
    expect(mass.get(r.l1 as string)).toBeGreaterThanOrEqual(best - 1e-3);
    expect(r.l1Confidence).toBeCloseTo(mass.get(r.l1 as string) as number, 2);
  });

  it('answers a thin note that names an L1 within that L1', () => {
    const r = classify(model, 'no intent');
    expect([r.abstained, r.l1]).toEqual([true, 'No Intent']);
    expect(r.reason).toMatch(/names the status No Intent/);
  });

  it('puts the likelier candidate\u2019s questions first', () => {
    const r = classify(model, 'see email');
    expect(r.abstained).toBe(true);
    expect(r.questions[0]?.l2).toBe(r.l2);
  });
});
