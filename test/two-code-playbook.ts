/** A two-code page set (Blocked - Network, Blocked - People) for tests that train and cache small models. */
import type { TrainingPlaybook } from '../src/classifier/index.js';
import type { PlaybookPage } from '../src/playbook/types.js';

/** A Blocked L2 page with these valid scenarios. */
export function blockedPage(l2: string, valid: string[]): PlaybookPage {
  return {
    file: `${l2}.md`, title: `Blocked - ${l2}`, heading: l2, frontMatter: {}, kind: 'l2', l1: 'Blocked', l2, aliases: [], definition: null,
    valid: valid.map((text, i) => ({ text, label: l2, l1: 'Blocked', l2, line: i + 1 })),
    invalid: [], questions: [], workloadQuestions: [], history: [], entitlementScenarios: null, problems: [],
  };
}

/** The page set with taxonomy version `version` (a new version stands for an edited page). */
export function twoCodePlaybook(version: string): TrainingPlaybook {
  return {
    pages: [
      blockedPage('Network', ['The firewall drops the traffic', 'Proxy blocks the service', 'Bandwidth at branches is too low', 'Old routers must be replaced']),
      blockedPage('People', ['Nobody in IT has the skills', 'IT team has no time', 'No budget for more admins', 'IT staff are not trained']),
    ],
    taxonomy: {
      version,
      l1s: [{ id: 'blocked', name: 'Blocked', definition: null, file: null, codes: ['blocked/network', 'blocked/people'] }],
      codes: [
        { id: 'blocked/network', l1: 'Blocked', l2: 'Network', l3: null, definition: null, file: 'Network.md' },
        { id: 'blocked/people', l1: 'Blocked', l2: 'People', l3: null, definition: null, file: 'People.md' },
      ],
      labels: { network: ['blocked/network'], people: ['blocked/people'] },
      histories: [],
    },
  };
}
