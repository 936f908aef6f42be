/**
 * QA round 18, positions: the page-code problems that were all reported at 1:1 (an L1 outside the five,
 * a page whose code cannot be told, a code that disagrees with its file name or is spelled close to a
 * known one) are placed at the title or heading they are about; a page with no `title:` key at all
 * stays at 1:1 (the front matter's fence, where the key is added) and says where its code was read from.
 */
import { describe, expect, it } from 'vitest';
import { lintPlaybook, parsePage, parsePlaybook } from '../src/playbook/index.js';
import type { Problem } from '../src/playbook/index.js';
import { partnerPage } from './partner-pages.js';

/** Line and column (1-based) of the `nth` occurrence of `needle` in `text`. */
function at(text: string, needle: string, nth = 0): string {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`"${needle}" not in text`);
  const before = text.slice(0, index).split('\n');
  return `${before.length}:${(before[before.length - 1]?.length ?? 0) + 1}`;
}

const where = (problems: readonly Problem[], code: string): string[] => problems.filter((p) => p.code === code).map((p) => `${p.line}:${p.column}`);

const staffing = (title: string, heading?: string): string =>
  partnerPage({ title, ...(heading === undefined ? {} : { heading }), scenarios: ['Two engineers left and were not replaced.'], status: 'Staffing Gap', question: 'Who would do the work?' });

describe('an L1 outside the five', () => {
  it('is reported at the title that names it', () => {
    const text = staffing('Stalled - Staffing Gap');
    const page = parsePage(text, 'stalled--staffing-gap.md');
    expect(where(page.problems, 'PLAYBOOK_UNKNOWN_L1')).toEqual([at(text, 'Stalled - Staffing Gap')]);
  });

  it('is reported at the title text of a quoted or block title, not at its quote or indicator (review, session 18)', () => {
    const plain = staffing('Stalled - Staffing Gap');
    for (const value of ['"Stalled - Staffing Gap"', "'Stalled - Staffing Gap'", '>-\n  Stalled - Staffing Gap']) {
      const text = plain.replace('title: Stalled - Staffing Gap', `title: ${value}`);
      expect(text, value).not.toBe(plain);
      const page = parsePage(text, 'stalled--staffing-gap.md');
      expect(where(page.problems, 'PLAYBOOK_UNKNOWN_L1'), value).toEqual([at(text, 'Stalled - Staffing Gap')]);
    }
  });

  it('is reported at the heading when the code was read from the heading', () => {
    const text = staffing('Stalled - Staffing Gap', 'Stalled - Staffing Gap').replace('title: Stalled - Staffing Gap\n', '');
    const page = parsePage(text, 'stalled--staffing-gap.md');
    expect(page).toMatchObject({ kind: 'l2', l1: 'Stalled' });
    expect(where(page.problems, 'PLAYBOOK_UNKNOWN_L1')).toEqual([at(text, '# Stalled')]);
  });

  it('is reported at the title of an L1 page that the set reads as its own L1', () => {
    const l1Page = ['---', 'title: Stalled', '---', '', '# Stalled', '', '> [!IMPORTANT]', '> **Definition:** Work has stopped.', ''].join('\n');
    const playbook = parsePlaybook([
      { file: 'stalled.md', text: l1Page },
      { file: 'stalled--staffing-gap.md', text: staffing('Stalled - Staffing Gap') },
    ]);
    const page = playbook.pages.find((p) => p.file === 'stalled.md');
    expect(page?.kind).toBe('l1');
    expect(where(page?.problems ?? [], 'PLAYBOOK_UNKNOWN_L1')).toEqual(['2:8']);
  });
});

describe('a page whose code cannot be told', () => {
  it('is reported at its title when it has one', () => {
    const text = staffing('Stopped', 'Stopped');
    const page = parsePage(text, 'stopped.md');
    expect(page.kind).toBe('unknown');
    expect(where(page.problems, 'PLAYBOOK_KIND_UNKNOWN')).toEqual([at(text, 'Stopped')]);
  });

  it('is reported at its heading when it has no title', () => {
    const text = staffing('Stalled - Staffing Gap').replace('title: Stalled - Staffing Gap\n', '');
    const page = parsePage(text, 'stalled--staffing-gap.md');
    expect(page.kind).toBe('unknown');
    expect(where(page.problems, 'PLAYBOOK_KIND_UNKNOWN')).toEqual([at(text, '# Staffing Gap')]);
  });

  it('is reported at an empty `title:` when there is no heading either', () => {
    const text = ['---', 'title:', 'author: QA', '---', '', 'Some text.', ''].join('\n');
    const page = parsePage(text, 'empty-title.md');
    expect(where(page.problems, 'PLAYBOOK_KIND_UNKNOWN')).toEqual(['2:1']);
  });
});

describe('a page with no `title:` key', () => {
  it('is told so at 1:1, where the key belongs, naming the heading its code was read from', () => {
    const text = staffing('Blocked - Staffing Gap', 'Blocked - Staffing Gap').replace('title: Blocked - Staffing Gap\n', '');
    const page = parsePage(text, 'blocked--staffing-gap.md');
    expect(page).toMatchObject({ kind: 'l2', l1: 'Blocked', l2: 'Staffing Gap' });
    const problem = page.problems.find((p) => p.code === 'PLAYBOOK_NO_TITLE');
    expect(problem).toMatchObject({ line: 1, column: 1 });
    expect(problem?.message).toMatch(/its code was read from its heading "Blocked - Staffing Gap" \(line 4\)/);
  });
});

describe('a code that disagrees with its file name, or is spelled close to a known one', () => {
  it('is reported at the title that spells it', () => {
    const text = staffing('Blocked - Staffing Gapp');
    const security = partnerPage({ title: 'Blocked - Security/Privacy (Non-Product/Feature)', scenarios: ['The CISO will not sign off.'], status: 'Security/Privacy (Non-Product/Feature)' });
  const problems = lintPlaybook(parsePlaybook([{ file: 'blocked--staffing-gap.md', text }, { file: 'blocked--security.md', text: security }])).filter((p) => p.file === 'blocked--staffing-gap.md');
    expect(where(problems, 'PLAYBOOK_CODE_FILE_MISMATCH')).toEqual([at(text, 'Blocked - Staffing Gapp')]);
    const near = lintPlaybook(parsePlaybook([{ file: 'gap.md', text }]), { knownCodes: ['blocked/staffing-gap'] });
    expect(where(near, 'PLAYBOOK_CODE_NOT_KNOWN')).toEqual([at(text, 'Blocked - Staffing Gapp')]);
  });

  it('is reported at the heading, and says so, when the code was read from the heading', () => {
    const text = staffing('Blocked - Staffing Gapp', 'Blocked - Staffing Gapp').replace('title: Blocked - Staffing Gapp\n', '');
    const security = partnerPage({ title: 'Blocked - Security/Privacy (Non-Product/Feature)', scenarios: ['The CISO will not sign off.'], status: 'Security/Privacy (Non-Product/Feature)' });
  const problems = lintPlaybook(parsePlaybook([{ file: 'blocked--staffing-gap.md', text }, { file: 'blocked--security.md', text: security }])).filter((p) => p.file === 'blocked--staffing-gap.md');
    const mismatch = problems.filter((p) => p.code === 'PLAYBOOK_CODE_FILE_MISMATCH');
    expect(mismatch.map((p) => `${p.line}:${p.column}`)).toEqual([at(text, '# Blocked')]);
    expect(mismatch[0]?.message).toMatch(/^The heading makes this page define blocked\/staffing-gapp/);
  });
});

describe('problems about an example status, and a missing definition, as a demanding author lints a page', () => {
  const text = [
    '---',
    'title: Blocked - Staffing Gap',
    '---',
    '',
    '# Staffing Gap',
    '',
    'A paragraph where the definition callout should be.',
    '',
    '## Valid Example Scenarios',
    '',
    '| Valid Example Scenario | Scenario Status |',
    '| :--: | :--: |',
    '| The two admins left and nobody runs the rollout. | Staffing Gap |',
    '| The security officer refuses although the controls exist. |  Security/Privacy (Non-Product/Feature) |',
    '| Nobody is free to run the pilot. | Staffing Gapz |',
    '',
    '## Invalid Example Scenarios for this L2',
    '',
    '| Invalid Example Scenario | Scenario Status |',
    '| :--: | :--: |',
    '| The budget for contractors was cut. | Blocked - Staffing Gap |',
    '',
  ].join('\n');
  const security = partnerPage({ title: 'Blocked - Security/Privacy (Non-Product/Feature)', scenarios: ['The CISO will not sign off.'], status: 'Security/Privacy (Non-Product/Feature)' });
  const problems = lintPlaybook(parsePlaybook([{ file: 'blocked--staffing-gap.md', text }, { file: 'blocked--security.md', text: security }])).filter((p) => p.file === 'blocked--staffing-gap.md');

  it('places a valid example labelled with another code, an invalid one labelled with its own and an unknown label at the status cell', () => {
    expect(where(problems, 'PLAYBOOK_VALID_NAMES_OTHER_CODE')).toEqual([at(text, 'Security/Privacy')]);
    expect(where(problems, 'PLAYBOOK_INVALID_NAMES_OWN_CODE')).toEqual([at(text, 'Blocked - Staffing Gap |')]);
    expect(where(problems, 'PLAYBOOK_LABEL_UNKNOWN')).toEqual([at(text, 'Staffing Gapz')]);
  });

  it('places a missing definition at the heading it belongs under, and says so', () => {
    const problem = problems.find((p) => p.code === 'PLAYBOOK_NO_DEFINITION');
    expect(problem && `${problem.line}:${problem.column}`).toBe(at(text, '# Staffing Gap'));
    expect(problem?.message).toMatch(/under the heading/);
  });
});
