/**
 * Tokens issued with a token, on the Tokens page: the list says which token each was issued with, and
 * revoking the parent says it takes the others with it, then shows them revoked. Real server and
 * built web app in Debian's Chromium; the child tokens are issued through the API with the parent's
 * secret, as a script would.
 */
import { describe, expect, it } from 'vitest';
import { boundDescendants } from '../../web/src/lib/tokens.js';
import { describeInBrowser, useBrowserSuite } from './support/suite.js';

describe('boundDescendants', () => {
  const t = (id: number, parentTokenId: number | null, revokedAt: string | null = null) => ({ id, parentTokenId, revokedAt });
  it('finds every unrevoked token issued with a token, generation by generation, and nothing else', () => {
    const tokens = [t(1, null), t(2, 1), t(3, 2), t(4, 1, '2026-01-01T00:00:00Z'), t(5, 4), t(6, null), t(7, 6)];
    expect(boundDescendants(tokens, 1).map((x) => x.id).sort()).toEqual([2, 3, 5]);
    expect(boundDescendants(tokens, 6).map((x) => x.id)).toEqual([7]);
    expect(boundDescendants(tokens, 3)).toEqual([]);
  });
});

describeInBrowser('tokens issued with tokens in Chromium', () => {
  const suite = useBrowserSuite({ allowedStatuses: [] });
  const { consoleErrors, expectAccessible, go, signIn } = suite;
  /** The row whose first cell is the token's name (alone, or followed by "issued with ..."). */
  const rowOf = (name: string) => suite.page.getByRole('row').filter({ has: suite.page.getByRole('cell', { name: new RegExp(`^${name}(?: issued with .*)?$`) }) });

  it('names the parent of each bound token, and revoking the parent says and does the rest', async () => {
    const { editor } = suite.world;
    await signIn(editor);
    // The parent from the signed-in session, then a child and a grandchild with the secrets, as scripts would.
    const issue = (name: string, bearer?: string) =>
      suite.page.evaluate(
        async ([n, b]) => {
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (b) headers.authorization = `Bearer ${b}`;
          const res = await fetch('/api/tokens', { method: 'POST', headers, body: JSON.stringify({ name: n }), credentials: b ? 'omit' : 'same-origin' });
          return (await res.json()) as { token: string; info: { parentTokenId: number | null } };
        },
        [name, bearer] as const,
      );
    const parent = await issue('ci parent');
    const child = await issue('ci child', parent.token);
    const grandchild = await issue('ci grandchild', child.token);
    expect(grandchild.info.parentTokenId).not.toBeNull();

    await go('#/tokens');
    await suite.page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
    expect(await rowOf('ci child').innerText()).toContain('issued with “ci parent”');
    expect(await rowOf('ci grandchild').innerText()).toContain('issued with “ci child”');
    expect(await rowOf('ci parent').innerText()).not.toContain('issued with');

    await rowOf('ci parent').getByRole('button', { name: 'Revoke' }).click();
    const confirm = suite.page.getByRole('group', { name: 'Revoke “ci parent”?' });
    expect(await confirm.innerText()).toContain('and so do the 2 tokens issued with it');
    await expectAccessible('tokens, revoke a parent');
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await suite.page.getByRole('status').filter({ hasText: '“ci parent” is revoked, with the 2 tokens issued with it' }).waitFor();
    for (const name of ['ci parent', 'ci child', 'ci grandchild']) await rowOf(name).getByText(/^revoked /).waitFor();
    expect(consoleErrors).toEqual([]);
  });
});
