import type { Root } from 'mdast';
import { parseDocument } from 'yaml';
import { PROBLEM_CODES, problemOf } from './problems.js';
import type { Problem } from './types.js';

export interface FrontMatter {
  data: Record<string, unknown>;
  problems: Problem[];
  /** True when the page opens with `---` and has no closing `---` (the body must be re-read without it). */
  unclosed: boolean;
  /**
   * Count of leading lines that hold a front matter Markdown did not recognise (a wrong opening fence,
   * or none): the body must be re-read with them blanked. 0 or absent otherwise.
   */
  brokenLines?: number;
}

const KEY_LINE = /^\s*([A-Za-z_][\w.-]*)\s*:\s*(.*)$/;

/** Best-effort `key: value` lines from the top of a page whose front matter could not be parsed as YAML. */
function salvage(lines: readonly string[], from = 1): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (let i = from; i < lines.length && i < 200; i++) {
    const line = lines[i] ?? '';
    if (/^\s*(#|>|\||---)/.test(line)) break;
    const m = KEY_LINE.exec(line);
    if (m && m[1] && !(m[1] in data)) data[m[1]] = (m[2] ?? '').trim().replace(/^["']|["']$/g, '');
  }
  return data;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON-safe copy (dates become ISO strings, maps objects); undefined for values JSON cannot carry. */
function toJsonSafe(value: unknown): Record<string, unknown> {
  try {
    const json = JSON.stringify(value);
    const back: unknown = json === undefined ? {} : JSON.parse(json);
    return isPlainObject(back) ? back : {};
  } catch {
    return {};
  }
}

/** A line of dashes that is not the `---` fence (`--`, `----`, `- - -`, dashes of other kinds). */
const WRONG_FENCE = /^\s*(?:-{1,2}|-{4,}|(?:-[ \t]+){2,}-|[-\u2010-\u2015\u2212]*[\u2010-\u2015\u2212][-\u2010-\u2015\u2212]*)\s*$/;
/** Keys that mark a block of `key: value` lines as a page's front matter. */
const FRONT_MATTER_KEY = /^\s*(title|description|author|ms\.author|date|ms\.date|audience|aliases|alias)\s*:/i;

/** Index of the line that ends a run of `key: value` lines (or their list items) starting at `from`: the first other line. */
function endOfKeyLines(lines: readonly string[], from: number): number {
  let i = from;
  while (i < lines.length && i < 200 && (KEY_LINE.test(lines[i] ?? '') || /^\s*-\s+\S/.test(lines[i] ?? ''))) i++;
  return i;
}

/** The `key: value` block in lines [from, end) read as YAML, or salvaged line by line when it is not valid YAML. */
function readKeyBlock(lines: readonly string[], from: number, end: number): Record<string, unknown> {
  try {
    const doc = parseDocument(lines.slice(from, end).join('\n'), { uniqueKeys: false });
    if (doc.errors.length === 0) {
      const value: unknown = doc.toJS({ maxAliasCount: 50 });
      if (isPlainObject(value)) return toJsonSafe(value);
    }
  } catch {
    // fall through to the line-by-line reading
  }
  return salvage(lines, from);
}

/**
 * A front matter Markdown does not see: opened by a wrong fence (`--` on line 1) or by none (the page
 * starts with `title: ...` lines closed by `---`). Undefined when the page does not look like either.
 */
function readBrokenFrontMatter(lines: readonly string[], file: string): FrontMatter | undefined {
  const first = lines[0] ?? '';
  if (WRONG_FENCE.test(first) && FRONT_MATTER_KEY.test(lines[1] ?? '')) {
    const end = endOfKeyLines(lines, 1);
    const closed = WRONG_FENCE.test(lines[end] ?? '') || (lines[end] ?? '').trim() === '---';
    return {
      data: readKeyBlock(lines, 1, end),
      problems: [problemOf(file, 'error', PROBLEM_CODES.FRONT_MATTER_INVALID, `The front matter must open with a line of exactly three dashes (\`---\`); line 1 is \`${first.trim()}\`, so Markdown does not read the title and aliases. Write \`---\` on line 1.`, 1, 1)],
      unclosed: false,
      brokenLines: closed ? end + 1 : end,
    };
  }
  if (FRONT_MATTER_KEY.test(first)) {
    const end = endOfKeyLines(lines, 0);
    if ((lines[end] ?? '').trim() === '---' || WRONG_FENCE.test(lines[end] ?? '')) {
      return {
        data: readKeyBlock(lines, 0, end),
        problems: [problemOf(file, 'error', PROBLEM_CODES.FRONT_MATTER_MISSING, `The front matter has no opening \`---\` line (line 1 is \`${first.trim().slice(0, 60)}\` and line ${end + 1} closes it), so Markdown does not read the title and aliases. Add a \`---\` line above line 1.`, 1, 1)],
        unclosed: false,
        brokenLines: end + 1,
      };
    }
  }
  return undefined;
}

/** Reads the YAML front matter of a parsed page. Never throws. */
export function readFrontMatter(root: Root, lines: readonly string[], file: string): FrontMatter {
  const first = root.children[0];
  const opensWithFence = (lines[0] ?? '').trim() === '---';
  if (!first || first.type !== 'yaml') {
    if (opensWithFence) {
      return {
        data: salvage(lines),
        problems: [problemOf(file, 'error', PROBLEM_CODES.FRONT_MATTER_UNCLOSED, 'The front matter opened with `---` on line 1 is never closed: add a `---` line after the last `key: value` line.', 1, 1)],
        unclosed: true,
      };
    }
    return readBrokenFrontMatter(lines, file) ?? { data: {}, problems: [], unclosed: false };
  }
  const startLine = first.position?.start.line ?? 1;
  const bodyLike = /^(#{1,6}\s+\S|>\s*\[!|\|.*\|)/m;
  const unclosedProblem = problemOf(file, 'error', PROBLEM_CODES.FRONT_MATTER_UNCLOSED, 'The front matter opened with `---` on line 1 is not closed before the page body starts: add a `---` line after the last `key: value` line.', 1, 1);
  try {
    const doc = parseDocument(first.value, { uniqueKeys: false, prettyErrors: true });
    if (doc.errors.length > 0 && bodyLike.test(first.value)) {
      return { data: salvage(lines), problems: [unclosedProblem], unclosed: true };
    }
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const at = err?.linePos?.[0];
      // The library's own "at line L, column C" counts from the front matter's first line; the problem
      // carries the page's line and column instead, so the message leaves it out.
      const message = ((err?.message ?? 'invalid YAML').split('\n')[0] ?? 'invalid YAML').replace(/ at line \d+, column \d+:?$/, '');
      return {
        data: salvage(lines),
        problems: [problemOf(file, 'error', PROBLEM_CODES.FRONT_MATTER_INVALID, `The front matter is not valid YAML (${message}); fix it so the title and aliases can be read.`, startLine + (at?.line ?? 1), at?.col ?? 1)],
        unclosed: false,
      };
    }
    const value: unknown = doc.toJS({ maxAliasCount: 50 });
    if (value === null || value === undefined) return { data: {}, problems: [], unclosed: false };
    if (!isPlainObject(value)) {
      return {
        data: {},
        problems: [problemOf(file, 'warning', PROBLEM_CODES.FRONT_MATTER_INVALID, 'The front matter is not a list of `key: value` pairs; it was ignored.', startLine + 1, 1)],
        unclosed: false,
      };
    }
    return { data: toJsonSafe(value), problems: [], unclosed: false };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : 'invalid YAML';
    return {
      data: salvage(lines),
      problems: [problemOf(file, 'error', PROBLEM_CODES.FRONT_MATTER_INVALID, `The front matter could not be read (${message}).`, startLine, 1)],
      unclosed: false,
    };
  }
}

/** Aliases declared in front matter: `aliases` (a list, or a string with `;` between names). */
export function aliasesOf(data: Record<string, unknown>): string[] {
  const raw = data.aliases ?? data.alias;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(';') : [];
  return list.filter((a): a is string | number => typeof a === 'string' || typeof a === 'number').map((a) => String(a).trim()).filter((a) => a !== '');
}
