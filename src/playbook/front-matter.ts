import type { Root } from 'mdast';
import { parseDocument } from 'yaml';
import { PROBLEM_CODES, problemOf } from './problems.js';
import type { Problem } from './types.js';

export interface FrontMatter {
  data: Record<string, unknown>;
  problems: Problem[];
  /** True when the page opens with `---` and has no closing `---` (the body must be re-read without it). */
  unclosed: boolean;
}

const KEY_LINE = /^\s*([A-Za-z_][\w.-]*)\s*:\s*(.*)$/;

/** Best-effort `key: value` lines from the top of a page whose front matter could not be parsed as YAML. */
function salvage(lines: readonly string[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (let i = 1; i < lines.length && i < 200; i++) {
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
    return { data: {}, problems: [], unclosed: false };
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
      const message = (err?.message ?? 'invalid YAML').split('\n')[0] ?? 'invalid YAML';
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
