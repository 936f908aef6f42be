import type { Nodes, Root, RootContent } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { collapseWhitespace } from '../lib/text.js';

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).freeze();
const bodyProcessor = unified().use(remarkParse).use(remarkGfm).freeze();

/** Parses Markdown (GFM, YAML front matter) to mdast; positions are 1-based line/column of `text`. */
export function parseMarkdown(text: string, withFrontMatter = true): Root {
  return (withFrontMatter ? processor : bodyProcessor).parse(text);
}

/** Plain text of a node: markup dropped, link and emphasis text kept, white space collapsed. Never throws. */
export function plainText(node: Nodes | readonly Nodes[]): string {
  const parts: string[] = [];
  const walk = (n: Nodes): void => {
    switch (n.type) {
      case 'text':
      case 'inlineCode':
        parts.push(n.value);
        return;
      case 'break':
        parts.push(' ');
        return;
      case 'html':
        parts.push(/^<br\s*\/?>$/i.test(n.value.trim()) ? ' ' : n.value.replace(/<[^>]*>/g, ''));
        return;
      case 'image':
        parts.push(n.alt ?? '');
        return;
      case 'code':
        parts.push(` ${n.value} `);
        return;
      case 'yaml':
      case 'footnoteReference':
      case 'definition':
        return;
      default:
        if ('children' in n) {
          const block = n.type === 'paragraph' || n.type === 'listItem' || n.type === 'tableCell' || n.type === 'heading';
          for (const child of n.children as Nodes[]) walk(child);
          if (block) parts.push(' ');
        }
    }
  };
  if (Array.isArray(node)) for (const n of node as Nodes[]) walk(n);
  else walk(node as Nodes);
  return collapseWhitespace(parts.join(''));
}

/** A run of source lines to parse on its own, with where each line and column came from. */
export interface Fragment {
  lines: string[];
  /** 1-based line in the page for each fragment line. */
  lineNumbers: number[];
  /** Columns to add on each fragment line to get the page column. */
  columnOffsets: number[];
}

function remapPositions(node: Nodes, fragment: Fragment): void {
  const pos = node.position;
  if (pos) {
    const map = (p: { line: number; column: number; offset?: number | undefined }) => {
      const i = Math.min(Math.max(p.line - 1, 0), fragment.lineNumbers.length - 1);
      return { line: fragment.lineNumbers[i] ?? p.line, column: p.column + (fragment.columnOffsets[i] ?? 0) };
    };
    node.position = { start: map(pos.start), end: map(pos.end) };
  }
  if ('children' in node) for (const child of node.children as Nodes[]) remapPositions(child, fragment);
}

/** Parses a fragment (no front matter); node positions are page positions. */
export function parseFragment(fragment: Fragment): RootContent[] {
  if (fragment.lines.length === 0) return [];
  const root = parseMarkdown(fragment.lines.join('\n'), false);
  remapPositions(root, fragment);
  return root.children;
}

const FENCE = /^[\s>]*(```|~~~)/;

/** True when a `code` node is an indented block (not a fenced one), judged from its first source line. */
export function isIndentedCode(node: Nodes, lines: readonly string[]): boolean {
  if (node.type !== 'code' || !node.position) return false;
  const first = lines[node.position.start.line - 1] ?? '';
  return !FENCE.test(first);
}

/** The page lines an indented code block covers, dedented by the block's own indentation. */
export function fragmentOfIndentedCode(node: Nodes, lines: readonly string[]): Fragment {
  const start = node.position?.start.line ?? 1;
  const end = node.position?.end.line ?? start;
  const valueLines = node.type === 'code' ? node.value.split(/\r\n|\r|\n/) : [];
  const fragment: Fragment = { lines: [], lineNumbers: [], columnOffsets: [] };
  for (let line = start, i = 0; line <= end; line++, i++) {
    const original = lines[line - 1] ?? '';
    const value = valueLines[i] ?? '';
    const at = value === '' ? original.length : original.lastIndexOf(value);
    fragment.lines.push(value);
    fragment.lineNumbers.push(line);
    fragment.columnOffsets.push(Math.max(at, 0));
  }
  return fragment;
}

/**
 * Replaces indented code blocks (which on a playbook page are always content that was
 * indented too far: a table or a list under a heading) by their parsed content, up to `depth` levels.
 */
export function expandIndentedCode(nodes: readonly RootContent[], lines: readonly string[], depth = 3): RootContent[] {
  const out: RootContent[] = [];
  for (const node of nodes) {
    if (depth > 0 && isIndentedCode(node, lines)) {
      out.push(...expandIndentedCode(parseFragment(fragmentOfIndentedCode(node, lines)), lines, depth - 1));
    } else {
      out.push(node);
    }
  }
  return out;
}
