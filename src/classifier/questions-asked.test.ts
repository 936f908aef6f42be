/**
 * The questions a code offers to put to the customer are the items of its page that ask something: a
 * nested follow-up that only advises the partner ("If it is IT staff, use ... instead.") is not one
 * (QA: it was listed under "Ask the customer"). A page whose items ask nothing keeps them all.
 */
import { describe, expect, it } from 'vitest';
import type { PlaybookPage } from '../playbook/types.js';
import type { Taxonomy } from '../taxonomy/types.js';
import { collectTrainingData } from './examples.js';
import { DEFAULT_OPTIONS } from './model.js';

function page(l2: string, questions: PlaybookPage['questions']): PlaybookPage {
  return {
    file: `blocked--${l2.toLowerCase().replace(/\s+/g, '-')}.md`,
    title: `Blocked - ${l2}`,
    heading: l2,
    frontMatter: {},
    kind: 'l2',
    l1: 'Blocked',
    l2,
    aliases: [],
    definition: `The customer is stuck on ${l2.toLowerCase()}.`,
    valid: [{ text: `A note about ${l2.toLowerCase()} holding the rollout.`, label: l2, l1: 'Blocked', l2, line: 12 }],
    invalid: [],
    questions,
    workloadQuestions: [],
    history: [],
    entitlementScenarios: null,
    problems: [],
  };
}

const taxonomy: Taxonomy = {
  version: 'questions1',
  l1s: [{ id: 'blocked', name: 'Blocked', definition: null, file: null, codes: ['blocked/adoption-readiness', 'blocked/staffing'] }],
  codes: [
    { id: 'blocked/adoption-readiness', l1: 'Blocked', l2: 'Adoption Readiness', l3: null, definition: null, file: 'blocked--adoption-readiness.md' },
    { id: 'blocked/staffing', l1: 'Blocked', l2: 'Staffing', l3: null, definition: null, file: 'blocked--staffing.md' },
  ],
  labels: { 'adoption readiness': ['blocked/adoption-readiness'], staffing: ['blocked/staffing'] },
  histories: [],
};

describe('the questions a code offers', () => {
  it('leave out a follow-up that asks nothing, and keep the questions and their own hints', () => {
    const data = collectTrainingData(
      {
        taxonomy,
        pages: [
          page('Adoption Readiness', [
            { text: 'Who has to get ready: end users or IT staff?', children: [{ text: 'If it is IT staff, use Staffing instead.', children: [] }] },
            { text: 'Is there a training plan? If not, say who will write it.', children: [] },
          ]),
          page('Staffing', [{ text: 'Name the team that lacks people.', children: [] }]),
        ],
      },
      DEFAULT_OPTIONS,
    );
    const questionsOf = (l2: string) => data.codes.find((c) => c.l2 === l2)?.questions;
    expect(questionsOf('Adoption Readiness')).toEqual(['Who has to get ready: end users or IT staff?', 'Is there a training plan? If not, say who will write it.']);
    // Items that ask nothing at all are still what the page offers.
    expect(questionsOf('Staffing')).toEqual(['Name the team that lacks people.']);
  });
});
