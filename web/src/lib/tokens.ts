/** Tokens issued with tokens (the API binds them: revoking a token revokes every token issued with it). */

/** What the list needs of a token. */
export interface ListedToken {
  id: number;
  revokedAt: string | null;
  parentTokenId: number | null;
}

/**
 * The unrevoked tokens among `tokens` that revoking `id` revokes with it: those issued with it, those
 * issued with them, and so on. Only listed tokens count (a non-admin's list holds their own only).
 */
export function boundDescendants<T extends ListedToken>(tokens: readonly T[], id: number): T[] {
  const found: T[] = [];
  const seen = new Set([id]);
  for (let parents = [id]; parents.length > 0; ) {
    const children = tokens.filter((t) => t.parentTokenId !== null && parents.includes(t.parentTokenId) && !seen.has(t.id));
    for (const child of children) seen.add(child.id);
    found.push(...children.filter((c) => c.revokedAt === null));
    parents = children.map((c) => c.id);
  }
  return found;
}
