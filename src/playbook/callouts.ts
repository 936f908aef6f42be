import type { Blockquote, RootContent } from 'mdast';
import { expandIndentedCode, type Fragment, parseFragment, plainText } from './markdown.js';
import { readQuestions } from './questions.js';
import type { Question } from './types.js';

const DEFINITION_WORD = /^\s*(definition|definición|definicion|definição|definicao|definizione|définition|定義|定义)\s*[:：]\s*/i;
const CALLOUT_MARKER = /^\s*(?:>\s*)+[*_]*\[!\s*([A-Za-z]+)\s*\][*_]*/;
const LIST_MARKER = /^(\s*)(\d{1,3}[.)]|[-*+•])\s+\S/;

/** GitHub's callout types; any other `[!WORD]` is read by its position on the page. */
export const KNOWN_CALLOUTS = new Set(['IMPORTANT', 'TIP', 'NOTE', 'WARNING', 'CAUTION']);

/** The upper-case `[!TYPE]` of a blockquote, read from its first source line; null for a plain quote. */
export function calloutTypeOf(node: Blockquote, lines: readonly string[]): string | null {
  const first = lines[(node.position?.start.line ?? 1) - 1] ?? '';
  const m = CALLOUT_MARKER.exec(first);
  return m?.[1] ? m[1].toUpperCase() : null;
}

/** `line` with the tabs of its leading run of `>` and white space replaced by spaces up to the next tab stop (every four columns). */
export function expandLeadingTabs(line: string): string {
  const lead = /^[ \t>]*/.exec(line)?.[0] ?? '';
  if (!lead.includes('\t')) return line;
  let out = '';
  for (const ch of lead) out += ch === '\t' ? ' '.repeat(4 - (out.length % 4)) : ch;
  return out + line.slice(lead.length);
}

/**
 * Parses the content of a callout spanning page lines `startLine..endLine`: one `>` level and the
 * `[!TYPE]` marker removed, and its lists brought to the left margin so that a list indented four
 * spaces (plain Markdown would read it as code) or written straight under the intro line is a list.
 * Node positions are page positions.
 */
export function parseCalloutContent(lines: readonly string[], startLine: number, endLine: number): RootContent[] {
  const fragment: Fragment = { lines: [], lineNumbers: [], columnOffsets: [] };
  for (let line = startLine; line <= endLine; line++) {
    const original = lines[line - 1] ?? '';
    // Tabs among the leading `>` and spaces count to the next multiple of four columns, as Markdown counts
    // them: `>` and a tab is `>` and three spaces, so `>\t1.` and `>    2.` are items of one list.
    const raw = expandLeadingTabs(original);
    const prefix = /^[ ]{0,3}>[ ]?/.exec(raw)?.[0] ?? '';
    let text = raw.slice(prefix.length);
    let offset = prefix.length - (raw.length - original.length);
    if (line === startLine) {
      const marker = /^\s*[*_]*\[!\s*[A-Za-z]+\s*\][*_]*\s*/.exec(text)?.[0] ?? '';
      text = text.slice(marker.length);
      offset += marker.length;
    }
    fragment.lines.push(text.replace(/^(\s*)•(\s)/, '$1-$2'));
    fragment.lineNumbers.push(line);
    fragment.columnOffsets.push(offset);
  }
  const markerLines = fragment.lines.map((l, i) => ({ i, m: LIST_MARKER.exec(l) })).filter((x) => x.m !== null);
  if (markerLines.length > 0) {
    const base = Math.min(...markerLines.map((x) => x.m?.[1]?.length ?? 0));
    const firstList = markerLines[0]?.i ?? 0;
    for (let i = firstList; i < fragment.lines.length; i++) {
      const text = fragment.lines[i] ?? '';
      const lead = /^[ \t]*/.exec(text)?.[0].length ?? 0;
      const cut = Math.min(base, lead);
      fragment.lines[i] = text.slice(cut);
      fragment.columnOffsets[i] = (fragment.columnOffsets[i] ?? 0) + cut;
    }
    if (firstList > 0 && (fragment.lines[firstList - 1] ?? '').trim() !== '') {
      fragment.lines.splice(firstList, 0, '');
      fragment.lineNumbers.splice(firstList, 0, fragment.lineNumbers[firstList] ?? startLine);
      fragment.columnOffsets.splice(firstList, 0, 0);
    }
  }
  return expandIndentedCode(parseFragment(fragment), lines);
}

/** True when a paragraph opens with a bold label such as "**Definition:**" (any language) or the word Definition and a colon. */
export function opensWithDefinitionLabel(nodes: readonly RootContent[]): boolean {
  const first = nodes[0];
  if (first?.type !== 'paragraph') return false;
  const lead = first.children.find((c) => !(c.type === 'text' && c.value.trim() === ''));
  return (lead?.type === 'strong' && /[:：]\s*$/.test(plainText(lead))) || DEFINITION_WORD.test(plainText(first));
}

/** The definition text of callout content: the leading "**Definition:**" label dropped, blocks separated by a blank line; null when empty. */
export function readDefinition(nodes: readonly RootContent[]): string | null {
  const parts: string[] = [];
  nodes.forEach((node, i) => {
    if (i === 0 && node.type === 'paragraph') {
      const children = [...node.children];
      while (children[0]?.type === 'text' && children[0].value.trim() === '') children.shift();
      const lead = children[0];
      if (lead?.type === 'strong' && /[:：]\s*$/.test(plainText(lead))) children.shift();
      parts.push(plainText(children).replace(DEFINITION_WORD, '').replace(/^[:：]\s*/, ''));
      return;
    }
    if (node.type === 'list') parts.push(readQuestions(node).map((q) => `- ${q.text}`).join('\n'));
    else parts.push(plainText(node));
  });
  const text = parts.filter((p) => p !== '').join('\n\n');
  return text === '' ? null : text;
}

/** Questions of every top-level list in callout content. */
export function readListQuestions(nodes: readonly RootContent[]): Question[] {
  return nodes.flatMap((node) => (node.type === 'list' ? readQuestions(node) : []));
}
