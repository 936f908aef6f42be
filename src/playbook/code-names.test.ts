import { describe, expect, it } from 'vitest';
import { packagesLoadedBy } from '../../test/module-imports.js';
import * as light from './code-names.js';
import * as lint from './lint.js';
import * as playbook from './index.js';

const MARKDOWN = /^(remark|unified|mdast|micromark|yaml$)/;

describe('code-name checks without the Markdown parser', () => {
  it('code-names.ts and the services module (CLI database commands) load no Markdown parser', () => {
    for (const entry of ['playbook/code-names.ts', 'app/services.ts']) {
      const markdown = [...packagesLoadedBy(entry)].filter((name) => MARKDOWN.test(name));
      expect({ entry, markdown }).toEqual({ entry, markdown: [] });
    }
    // The walker does see the parser where it is: the full lint still needs it.
    expect([...packagesLoadedBy('playbook/lint.ts')].some((name) => MARKDOWN.test(name))).toBe(true);
  });

  it('keeps the old exports of lint.ts and index.ts pointing at the same functions', () => {
    expect(lint.codeIdOfFileName).toBe(light.codeIdOfFileName);
    expect(lint.lintCodeNames).toBe(light.lintCodeNames);
    expect(playbook.codeIdOfFileName).toBe(light.codeIdOfFileName);
    expect(playbook.lintCodeNames).toBe(light.lintCodeNames);
  });

  it('reads code ids from file names', () => {
    expect(light.codeIdOfFileName('playbooks/blocked--legal-regulatory.md')).toBe('blocked/legal-regulatory');
    expect(light.codeIdOfFileName('C:\\pages\\blocked.md')).toBe('blocked');
    expect(light.codeIdOfFileName('blocked--.md')).toBeUndefined();
    expect(light.codeIdOfFileName('notes--about.md')).toBeUndefined();
    expect(light.codeIdOfFileName('blocked--a--b.md')).toBeUndefined();
  });
});
