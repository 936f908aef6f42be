/**
 * Text the database may not store: C0 control characters and lone UTF-16 surrogates. The JSON input
 * guards (src/http/input.ts) and the CSV import (src/http/csv.ts) share these checks; this module
 * needs neither Fastify nor zod, so the CLI's import and export load it on their own.
 */

/**
 * C0 control characters other than tab, line feed and carriage return. NUL is among them: PostgreSQL
 * text cannot hold it (SQLite stores it, and the CSV import then refuses the export).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
/**
 * A UTF-16 surrogate without its pair: JSON can write one (`"\ud800"`), but it is no character, and
 * the engines store it differently (PostgreSQL as one U+FFFD, SQLite as three), so text holding one
 * is refused like a control character.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Either kind of text that may not be stored. */
const UNSTORABLE = new RegExp(`${CONTROL.source}|${LONE_SURROGATE.source}`);

/** True when `text` holds a control character (other than tab, line feed, carriage return) or a lone surrogate. */
export function hasUnstorableText(text: string): boolean {
  return UNSTORABLE.test(text);
}

/** What is wrong with `text` (call it when {@link hasUnstorableText} is true): names the first offending character. */
export function describeUnstorable(text: string): string {
  const found = UNSTORABLE.exec(text);
  const hex = (found?.[0].charCodeAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  if (found && LONE_SURROGATE.test(found[0])) return `contains the unpaired surrogate U+${hex}, which is no character; send text as well-formed Unicode`;
  return `contains the control character U+${hex}; text may hold tabs and line breaks but no other control characters`;
}

/**
 * Why `text` may not be stored: it holds a C0 control character other than tab, line feed and carriage
 * return (the message names the first); null when it may. The JSON guards (src/http/input.ts) and the
 * CSV import (src/http/csv.ts) both use it. Never throws.
 */
export function controlCharacterProblem(text: string): string | null {
  return hasUnstorableText(text) ? describeUnstorable(text) : null;
}
