/** buildL1Guidance: what a playbook's own L1 pages tell the note coach. */
import { describe, expect, it } from 'vitest';
import type { EntitlementScenarioTable, PlaybookPage } from '../playbook/types.js';
import { buildL1Guidance } from './advice.js';
import { createNoteCoachPort } from './services.js';

type GuidancePage = Pick<PlaybookPage, 'kind' | 'l1' | 'definition' | 'entitlementScenarios'>;

const HEADERS = ['Scenario', 'Who Updates', 'L1', 'L2', 'Target Date', 'Owner', 'Status Note', 'Next Action'];
const row = (l1: string, l2: string, note: string) => ['A situation', 'Delivery lead', l1, l2, 'A date', 'Delivery lead', note, 'Follow up'];
const table = (rows: string[][], headers = HEADERS): EntitlementScenarioTable => ({ headers, rows });
const l1Page = (l1: string, definition: string | null, scenarios: EntitlementScenarioTable | null): GuidancePage => ({ kind: 'l1', l1, definition, entitlementScenarios: scenarios });

describe('buildL1Guidance', () => {
  it("quotes the Status Note cell of the L1's own row", () => {
    const pages = [l1Page('Paused', 'Work waits on a decision.', table([row('Paused', 'Budget Freeze', 'Say which budget is frozen and when it is reviewed')]))];
    expect(buildL1Guidance(pages)).toEqual({ Paused: 'Say which budget is frozen and when it is reviewed.' });
  });

  it("joins several rows as sentences with their L2, dropping repeats, blanks and rows of other L1s", () => {
    const rows = [
      row('Paused', 'Budget Freeze', 'Say which budget is frozen and when it is reviewed.'),
      row('Paused', 'Reorganisation', 'Name the team being reorganised and who decides afterwards'),
      row('paused', 'Reorganisation', 'name the team being reorganised and who decides afterwards'),
      row('Paused', 'Budget Freeze', '-'),
      row('In Progress', 'Migration', 'Say what restarted'),
    ];
    expect(buildL1Guidance([l1Page('Paused', null, table(rows))]).Paused).toBe(
      'Say which budget is frozen and when it is reviewed (Budget Freeze). Name the team being reorganised and who decides afterwards (Reorganisation).',
    );
  });

  it('falls back to the first sentence of the definition, and leaves out a page with neither', () => {
    const pages = [
      l1Page('Paused', 'The customer has put the rollout on hold, e.g. for a budget review. It resumes when the hold ends.', table([row('Paused', 'Budget Freeze', '')])),
      l1Page('Dormant', null, table([row('Dormant', 'X', 'Something')], ['Scenario', 'L1', 'L2'])),
    ];
    expect(buildL1Guidance(pages)).toEqual({ Paused: 'Say concretely why this customer fits the definition "The customer has put the rollout on hold, e.g. for a budget review."' });
  });

  it('skips the five built-in L1s and L2 pages', () => {
    const pages: GuidancePage[] = [
      l1Page('Blocked', 'Blocked means stopped.', table([row('Blocked', 'Legal/Regulatory', 'Name the regulation')])),
      { kind: 'l2', l1: 'Paused', definition: 'An L2 page.', entitlementScenarios: null },
    ];
    expect(buildL1Guidance(pages)).toEqual({});
  });

  it('reaches the grade through the note coach port, and only for that L1', () => {
    const coach = createNoteCoachPort(null, { Paused: 'Say which budget is frozen.' });
    expect(coach.grade('Paused.', { l1: 'Paused' }).template).toBe("Your playbook's guidance for Paused notes: Say which budget is frozen.");
    expect(coach.grade('Blocked.', { l1: 'Blocked' }).template).toBe(createNoteCoachPort(null).grade('Blocked.', { l1: 'Blocked' }).template);
  });
});
