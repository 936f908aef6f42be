/**
 * Where a JSON text goes wrong, in words a person can act on: for the API's 400 INVALID_JSON and the
 * CLI's JSONL input files. Pure.
 */

/** Where index `at` of `text` is, for people: `character 12`, or `line 3, column 8` past a body's first line. */
function placeOf(text: string, at: number): string {
  const before = text.slice(0, at);
  if (!before.includes('\n')) return `character ${at + 1}`;
  const line = before.split('\n').length;
  return `line ${line}, column ${at - before.lastIndexOf('\n')}`;
}

/** The token starting at `at` as a message shows it: a word or number whole, else one character. */
function tokenAt(text: string, at: number): string {
  const word = /^[\w.+-]{1,20}/.exec(text.slice(at, at + 20))?.[0];
  const shown = word ?? text.charAt(at);
  return shown === '"' ? 'a double quote' : `"${shown}"`;
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const JSON_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const CONTAINER = { '{': 'an object', '[': 'a list' } as const;

/**
 * What is wrong with the JSON `text`, as words that go after "The body is not valid JSON: " (`it ends
 * inside an object (after character 13)`, `it has "}" at character 6 where a value should be`), or
 * null when it is valid JSON. Fastify's parser says only that a body is not JSON; this says where, so
 * that a hand-written `curl -d` can be fixed. Walks the text once, without recursion (a deeply nested
 * body cannot overflow the stack). Never throws. Written here rather than taken from a library: JSON.parse
 * gives V8's wording, which changes between Node versions, and jsonc-parser, which reports an error code
 * and offset, recurses once per nesting level, so a 1 MB body of `[` would overflow the stack in it.
 */
export function describeJsonSyntax(text: string): string | null {
  const open: ('{' | '[')[] = [];
  // What may come next: a value, an object's field name (or its end), the colon, or a comma / the end of a container.
  // `key` and `next-value` follow a comma (where a closing bracket means a comma too many).
  let expect: 'value' | 'first-value' | 'next-value' | 'key' | 'first-key' | 'colon' | 'after' = 'value';
  let i = 0;
  const ends = (inside: string) => `it ends inside ${inside} (after ${placeOf(text, text.trimEnd().length - 1)})`;
  const found = (what: string) => `it has ${tokenAt(text, i)} at ${placeOf(text, i)} where ${what} should be`;
  while (true) {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
    if (i >= text.length) {
      if (open.length === 0 && expect === 'after') return null;
      return open.length === 0 ? 'it holds no value' : ends(CONTAINER[open[open.length - 1]!]);
    }
    const c = text.charAt(i);
    if (expect === 'after') {
      const top = open[open.length - 1];
      if (top === undefined) return `it goes on after the JSON value, at ${placeOf(text, i)}`;
      const close = top === '{' ? '}' : ']';
      if (c === close) {
        open.pop();
        i++;
      } else if (c === ',') {
        i++;
        expect = top === '{' ? 'key' : 'next-value';
      } else return found(`a comma or "${close}"`);
      continue;
    }
    if (expect === 'colon') {
      if (c !== ':') return found('a colon');
      i++;
      expect = 'value';
      continue;
    }
    if ((c === '}' && expect === 'key') || (c === ']' && expect === 'next-value')) {
      return `it has a comma before "${c}" at ${placeOf(text, i)}: leave the comma out`;
    }
    if ((expect === 'first-key' && c === '}') || (expect === 'first-value' && c === ']')) {
      open.pop();
      i++;
      expect = 'after';
      continue;
    }
    if (expect === 'key' || expect === 'first-key') {
      if (c !== '"') return `${found('a field name in double quotes')}${c === "'" ? ' (JSON writes text in double quotes)' : ''}`;
    } else if (c === '{' || c === '[') {
      open.push(c);
      i++;
      expect = c === '{' ? 'first-key' : 'first-value';
      continue;
    }
    const isKey: boolean = expect === 'key' || expect === 'first-key';
    if (c === '"') {
      i++;
      while (i < text.length && text.charAt(i) !== '"') {
        const ch = text.charAt(i);
        if (ch < ' ') return `it has a line break or other control character inside a text value at ${placeOf(text, i)}: write it escaped, such as \\n`;
        if (ch === '\\') {
          const escaped = text.charAt(i + 1);
          if (escaped === 'u' ? !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)) : escaped !== '' && !JSON_ESCAPES.has(escaped)) {
            return `it has the unknown escape "${text.slice(i, escaped === 'u' ? i + 6 : i + 2)}" at ${placeOf(text, i)}`;
          }
          i += escaped === 'u' ? 6 : 2;
        } else i++;
      }
      if (i >= text.length) return ends('a text value');
      i++;
      expect = isKey ? 'colon' : 'after';
      continue;
    }
    const word = /^[\w.+-]+/.exec(text.slice(i, i + 400))?.[0];
    if (word === 'true' || word === 'false' || word === 'null') {
      i += word.length;
      expect = 'after';
      continue;
    }
    if (word !== undefined && /^-?\d/.test(word)) {
      if (!JSON_NUMBER.test(word)) return `it has ${tokenAt(text, i)} at ${placeOf(text, i)}, which is not a number as JSON writes them`;
      i += word.length;
      expect = 'after';
      continue;
    }
    return found('a value');
  }
}
