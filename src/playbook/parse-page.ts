import { createHash } from 'node:crypto';
import type { Blockquote, RootContent } from 'mdast';
import { collapseWhitespace } from '../lib/text.js';
import { findKnownL1, KNOWN_L1_NAMES } from '../taxonomy/known-l1.js';
import { looksLikeDate, normalizeDate } from './dates.js';
import { blockHeaderOf, readFrontMatter } from './front-matter.js';
import { calloutTypeOf, KNOWN_CALLOUTS, opensWithDefinitionLabel, parseCalloutContent, readDefinition, readListQuestions } from './callouts.js';
import { expandIndentedCode, parseMarkdown, plainText } from './markdown.js';
import { kindUnknownMessage, pageAliases, readPageCode, unknownL1Message } from './page-code.js';
import { PROBLEM_CODES, problemOf, sortProblems } from './problems.js';
import { readQuestions } from './questions.js';
import { MAX_QUOTE_OPENINGS, prepareSource, type PreparedSource } from './source-text.js';
import { cellColumnsOf, type ReadTable, recoverTable, tableAcrossComments } from './tables.js';
import type { PlaybookPage, Problem, Question, Scenario, Severity } from './types.js';

/** A line and column (1-based). */
interface At {
  line: number;
  column: number;
}

/** Header or heading words that mark an invalid-example table, in the playbook's languages (a hint only). */
const INVALID_HINT = /invalid|inv[aá]lid|no v[aá]lid|n[aã]o v[aá]lid|non valid|not valid|incorrect|ungültig|ungultig|nicht gültig|falsch|無効|不適切|該当しない|无效|無效|不适用|错误/i;
/** Header or heading words that mark a valid-example table (a hint only). */
const VALID_HINT = /valid|v[aá]lid|gültig|gultig|korrekt|correct|有効|適切|有效|适用|正确/i;
/** A pattern that matches a whole heading (as `sectionName` gives it) written as one of `names` (patterns). */
function wholeName(names: readonly string[]): RegExp {
  return new RegExp(`^(?:${names.join('|')})$`, 'iu');
}

/**
 * The name of a valid-example section's heading, the whole heading (see `sectionName`): "Valid Example
 * Scenarios" as docs/PAGE-FORMAT.md writes it, its short forms and the same in the playbook's languages.
 * A heading that only holds the word ("Data Validation", "Validation questions") is no such section.
 */
const VALID_SECTION = wholeName([
  'valid (?:example )?(?:scenarios?|examples?)(?: for this l[12])?',
  'escenarios (?:de ejemplo )?v[aá]lidos(?: para est[ae] l[12])?',
  'ejemplos v[aá]lidos(?: para est[ae] l[12])?',
  'cen[aá]rios (?:de exemplo )?v[aá]lidos(?: para est[ae] l[12])?',
  'exemplos v[aá]lidos(?: para est[ae] l[12])?',
  "(?:sc[eé]narios d'exemples?|exemples de sc[eé]narios|exemples|sc[eé]narios) valides(?: pour cet(?:te)? l[12])?",
  'g(?:ü|u|ue)ltige (?:beispielszenarien|beispiele|szenarien)(?: f(?:ü|u|ue)r diese l[12])?',
  '(?:この ?l[12] ?の ?)?有効な(?:シナリオ例|シナリオ|例)',
  '(?:此 ?l[12] ?的 ?)?有效(?:示例场景|示例|场景|範例情境|示例情境)',
]);
/**
 * The name of an invalid-example section's heading, the whole heading (see `sectionName`): "Invalid Example
 * Scenarios for this L2" as docs/PAGE-FORMAT.md writes it, its short forms and the same in the playbook's languages.
 */
const INVALID_SECTION = wholeName([
  'invalid (?:example )?(?:scenarios?|examples?)(?: for this l[12])?',
  'escenarios (?:de ejemplo )?(?:no v[aá]lidos|inv[aá]lidos)(?: para est[ae] l[12])?',
  'ejemplos (?:no v[aá]lidos|inv[aá]lidos)(?: para est[ae] l[12])?',
  'cen[aá]rios (?:de exemplo )?(?:inv[aá]lidos|n[aã]o v[aá]lidos)(?: para est[ae] l[12])?',
  'exemplos (?:inv[aá]lidos|n[aã]o v[aá]lidos)(?: para est[ae] l[12])?',
  "(?:sc[eé]narios d'exemples?|exemples de sc[eé]narios|exemples|sc[eé]narios) (?:non valides|invalides)(?: pour cet(?:te)? l[12])?",
  '(?:ung(?:ü|u|ue)ltige|nicht g(?:ü|u|ue)ltige) (?:beispielszenarien|beispiele|szenarien)(?: f(?:ü|u|ue)r diese l[12])?',
  '(?:この ?l[12] ?の ?)?(?:無効な|該当しない)(?:シナリオ例|シナリオ|例)',
  '(?:此 ?l[12] ?的 ?)?(?:无效|無效|不适用)(?:示例场景|示例|场景|範例情境|示例情境)',
]);
/** The name of a refresh-history section's heading, the whole heading: "Refresh Summary" (docs/PAGE-FORMAT.md), "History" and the like, in the playbook's languages. */
const HISTORY_SECTION = wholeName([
  'refresh (?:summary|history)',
  '(?:change|revision|update|version|page) (?:history|log)',
  'history',
  'change ?log',
  'revisions',
  'resumen de actualizaciones',
  'historial(?: de (?:cambios|actualizaciones|revisiones))?',
  'resumo (?:de|das) atualiza[cç](?:õ|o)es',
  'hist[oó]rico(?: de (?:altera[cç](?:õ|o)es|atualiza[cç](?:õ|o)es|revis(?:õ|o)es))?',
  'r[eé]sum[eé] des mises [aà] jour',
  'historique(?: des (?:modifications|mises [aà] jour|r[eé]visions))?',
  '(?:ä|a|ae)nderungs(?:(?:ü|u|ue)bersicht|verlauf|historie)',
  'aktualisierungs(?:(?:ü|u|ue)bersicht|verlauf)',
  'versionsverlauf',
  'verlauf',
  '更新履歴',
  '変更履歴',
  '更新(?:の)?概要',
  '更新摘要',
  '(?:更新|变更|修订|修改)(?:记录|历史)',
]);

/**
 * A heading's text as compared with a section's name: lower case, white space collapsed, without a
 * leading number ("3.", "2)", "A.") or a trailing remark in brackets ("(draft)"), colon or full stop:
 * "## 3. Valid Example Scenarios (draft)" names the valid-example section.
 */
function sectionName(text: string): string {
  return collapseWhitespace(text.normalize('NFC'))
    .replace(/^(?:\d{1,3}(?:\.\d{1,3})*|[A-Za-z])[.)]\s+/, '')
    .replace(/\s*[:：.。]+$/, '')
    .replace(/\s*[(（][^()（）]{0,40}[)）]$/, '')
    .replace(/\s*[:：.。]+$/, '')
    .toLowerCase();
}

/** The warning at a comment that cut a table short, whose rows under it were read as rows of the table. */
const TABLE_COMMENT_MESSAGE = 'An HTML comment (`<!-- ... -->`) inside a table ends the table in Markdown, and the rows under it show as plain text; they were read as rows of the table all the same. Move the comment below the table, or delete the rows you meant to hide.';

/** The warning on lines read as a table though Markdown does not read them as one. */
const RECOVERED_TABLE_MESSAGE = 'These lines look like a table but Markdown does not read them as one (a missing or mismatched `| --- | --- |` row under the header); they were read as a table anyway.';

/** First header cell of a refresh-history table. */
const DATE_HEADER = /^(date|dates|fecha|datum|data|日付|日期|更新日|变更日期|修改日期|更新日期)/i;

/**
 * True when `node` holds a table, as `readNestedTables` reads one: a table, or lines Markdown did not read
 * as one that `recoverTable` does, at any depth.
 */
function holdsTable(node: RootContent, lines: readonly string[]): boolean {
  if (node.type === 'table') return true;
  if (node.type === 'paragraph') return recoverTable(node, lines) !== null;
  return 'children' in node && (node.children as RootContent[]).some((child) => holdsTable(child, lines));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function emptyPage(file: string): PlaybookPage {
  return {
    file,
    title: null,
    heading: null,
    frontMatter: {},
    kind: 'unknown',
    l1: null,
    l2: null,
    aliases: [],
    rules: null,
    definition: null,
    valid: [],
    invalid: [],
    questions: [],
    workloadQuestions: [],
    history: [],
    entitlementScenarios: null,
    problems: [],
  };
}

class PageReader {
  readonly page: PlaybookPage;
  private readonly problems: Problem[] = [];
  private validTaken = false;
  private invalidTaken = false;
  private seenTip = false;
  /**
   * The page's first heading when it is not a `#` one and comes before the definition and every table
   * (`## Blocked - Staffing Gap` written as the page's heading): read for the code when nothing else names it.
   */
  private leadHeading: { text: string; depth: number; line: number; column: number } | null = null;
  private contentSeen = false;
  /** Where the front matter's values start (page line and column), when it was read as YAML. */
  valueAt: Record<string, { line: number; column: number }> = {};
  /** Where each front-matter alias starts (page line and column), when the front matter was read as YAML. */
  aliasAt: Record<string, { line: number; column: number }> = {};
  /** Where the page's `#` heading starts (prepared text). */
  private headingAt: { line: number; column: number } | null = null;
  /** Where the page's sections are written (prepared text): see `PagePositions`. */
  private readonly sectionAt: { validTable?: At; validHeading?: At; invalidTable?: At; invalidHeading?: At; questions?: At; historyTable?: At; historyHeading?: At } = {};

  constructor(
    private readonly src: PreparedSource,
    file: string,
  ) {
    this.page = emptyPage(file);
  }

  report(severity: Severity, code: string, message: string, line = 1, column = 1): void {
    this.problems.push(problemOf(this.page.file, severity, code, message, line, this.src.originalColumn(line, column)));
  }

  finish(): PlaybookPage {
    this.page.problems = sortProblems([...this.page.problems, ...this.problems]);
    return this.page;
  }

  /** Index of the column holding dates when `table` is a refresh history, else -1. */
  historyDateColumn(table: ReadTable): number {
    const cols = table.headers.length;
    const shareOfDates = (col: number): number => {
      const cells = table.rows.map((r) => r.cells[col] ?? '').filter((c) => c !== '');
      return cells.length === 0 ? 0 : cells.filter(looksLikeDate).length / cells.length;
    };
    if (shareOfDates(0) >= 0.5 || (cols >= 3 && DATE_HEADER.test((table.headers[0] ?? '').trim()))) return 0;
    if (cols === 3) {
      for (let col = 1; col < cols; col++) {
        if (shareOfDates(col) >= 0.5 || DATE_HEADER.test((table.headers[col] ?? '').trim())) return col;
      }
    }
    return -1;
  }

  classifyTable(table: ReadTable, headingHint: string): void {
    const cols = table.headers.length;
    const dateColumn = this.historyDateColumn(table);
    if (dateColumn >= 0) {
      this.sectionAt.historyTable ??= { line: table.line, column: table.column };
      this.readHistory(table, dateColumn);
      return;
    }
    if (cols >= 4) {
      this.readEntitlements(table);
      return;
    }
    const hint = `${table.headers.join(' ')} ${headingHint}`;
    const invalidHint = INVALID_HINT.test(hint);
    const validHint = !invalidHint && VALID_HINT.test(hint);
    let slot: 'valid' | 'invalid' | null;
    if (!this.validTaken && !this.invalidTaken) slot = invalidHint ? 'invalid' : 'valid';
    else if (!this.invalidTaken) slot = 'invalid';
    else if (!this.validTaken) slot = 'valid';
    else slot = invalidHint ? 'invalid' : validHint ? 'valid' : null;
    if (slot === null) {
      this.report('warning', PROBLEM_CODES.TABLE_UNCLASSIFIED, 'A third example table was found and its header does not say whether it holds valid or invalid scenarios; its rows were not read. Merge it into the valid or invalid table.', table.line, table.column);
      return;
    }
    if (slot === 'valid') {
      this.validTaken = true;
      this.sectionAt.validTable ??= { line: table.line, column: table.column };
    } else {
      this.invalidTaken = true;
      this.sectionAt.invalidTable ??= { line: table.line, column: table.column };
    }
    const target = slot === 'valid' ? this.page.valid : this.page.invalid;
    target.push(...this.readScenarios(table));
  }

  readScenarios(table: ReadTable): Scenario[] {
    const out: Scenario[] = [];
    const width = table.headers.length;
    for (const row of table.rows) {
      const cells = row.cells;
      if (cells.every((c) => c === '')) continue;
      let text: string;
      let label: string;
      let labelAt = 1;
      let textAt = 0;
      if (width <= 2 && cells.length > 2) {
        let last = cells.length - 1;
        while (last > 0 && cells[last] === '') last--;
        label = cells[last] ?? '';
        labelAt = last;
        text = cells.slice(0, last).filter((c) => c !== '').join(' | ');
        textAt = Math.max(0, cells.findIndex((c) => c !== ''));
        this.report('warning', PROBLEM_CODES.ROW_EXTRA_CELLS, `This row has ${cells.length} cells but the table header has ${width}; the last filled cell was read as the status and the others as the scenario. Escape a | inside a scenario as \\|.`, row.line, row.column);
      } else {
        text = cells[0] ?? '';
        label = cells[1] ?? '';
        if (width === 1 && cells.length === 2) {
          this.report('warning', PROBLEM_CODES.ROW_EXTRA_CELLS, 'This row has 2 cells but the table header has 1; the second cell was read as the status. Add a status column to the header (`| Scenario | Scenario Status |` and `| --- | --- |`).', row.line, row.column);
        } else if (width > 0 && cells.length > width) {
          this.report('warning', PROBLEM_CODES.ROW_EXTRA_CELLS, `This row has ${cells.length} cells but the table header has ${width}; the extra cells were kept but not read.`, row.line, row.column);
        }
      }
      if (text === '') {
        this.report('warning', PROBLEM_CODES.SCENARIO_EMPTY, 'This example row has a status but no scenario text; write the scenario in the first cell.', row.line, row.column);
        continue;
      }
      if (label === '') {
        // A row pasted from a spreadsheet has its cells apart by tabs, which Markdown reads as one cell.
        const raw = this.src.lines[row.line - 1] ?? '';
        const tabbed = cells.length === 1 && raw.includes('\t') && !raw.includes('|');
        const message = tabbed
          ? 'This example row has no | between its cells (its scenario and status are apart by a tab, as when pasted from a spreadsheet), so it was read as a scenario without a status; write it as `| scenario | status |`.'
          : 'This example row names no status; write the code it belongs to in the second cell.';
        this.report('warning', PROBLEM_CODES.SCENARIO_NO_LABEL, message, row.line, row.column);
      }
      const columns = cellColumnsOf(this.src.lines[row.line - 1] ?? '');
      const textColumn = columns[textAt];
      const labelColumn = columns[labelAt];
      out.push({
        text,
        label,
        l1: null,
        l2: null,
        line: row.line,
        column: this.src.originalColumn(row.line, row.column),
        ...(textColumn !== undefined ? { textColumn: this.src.originalColumn(row.line, textColumn) } : {}),
        ...(label !== '' && labelColumn !== undefined ? { labelColumn: this.src.originalColumn(row.line, labelColumn) } : {}),
      });
    }
    return out;
  }

  readHistory(table: ReadTable, dateColumn: number): void {
    for (const row of table.rows) {
      if (row.cells.every((c) => c === '')) continue;
      const written = row.cells[dateColumn] ?? '';
      const cells = [written, ...row.cells.filter((_, i) => i !== dateColumn)];
      const date = normalizeDate(written);
      if (date === null) {
        this.report('warning', PROBLEM_CODES.DATE_UNREADABLE, `The date "${written}" could not be read; write it as M/D/YYYY or YYYY-MM-DD.`, row.line, row.column);
      }
      this.page.history.push({ date, dateAsWritten: written, who: cells[1] ?? '', what: cells.slice(2).filter((c) => c !== '').join(' | ') });
    }
  }

  readEntitlements(table: ReadTable): void {
    const target = (this.page.entitlementScenarios ??= { headers: table.headers, rows: [], rowLines: [], cellColumns: [] });
    for (const row of table.rows) {
      if (row.cells.every((c) => c === '')) continue;
      if (row.cells.length > target.headers.length) {
        this.report('warning', PROBLEM_CODES.ROW_EXTRA_CELLS, `This entitlement-scenario row has ${row.cells.length} cells but the header has ${target.headers.length}; the row was kept with all its cells. Add a header cell or merge the extra cells.`, row.line, row.column);
      }
      target.rows.push(row.cells);
      target.rowLines?.push(row.line);
      const raw = this.src.lines[row.line - 1] ?? '';
      target.cellColumns?.push(cellColumnsOf(raw).map((column) => this.src.originalColumn(row.line, column)));
    }
  }

  readBody(blocks: readonly RootContent[]): void {
    let headingHint = '';
    let tipQuestionsOpen = false;
    /** The H3+ heading above the current run of paragraphs and lists: its lists are that workload's questions. */
    let workloadHeading: string | null = null;
    let workload: { workload: string; questions: Question[] } | null = null;
    for (let i = 0; i < blocks.length; i++) {
      const node = blocks[i] as RootContent;
      if (node.type !== 'list' && node.type !== 'paragraph') {
        workloadHeading = null;
        workload = null;
      }
      if (node.type === 'blockquote' || node.type === 'table' || node.type === 'list') this.contentSeen = true;
      switch (node.type) {
        case 'heading': {
          const text = plainText(node);
          const pageHeading = node.depth === 1 && this.page.heading === null && text !== '';
          if (pageHeading) {
            this.page.heading = text;
            this.headingAt = { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 };
          }
          if (node.depth > 1 && !this.contentSeen && this.leadHeading === null && text !== '') {
            this.leadHeading = { text, depth: node.depth, line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 };
          }
          this.contentSeen = true;
          // The page's own heading names its code, never one of its sections.
          if (!pageHeading) this.noteSectionHeading(text, { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 });
          headingHint = text;
          tipQuestionsOpen = false;
          if (node.depth >= 3 && text !== '') workloadHeading = text;
          break;
        }
        case 'blockquote': {
          const type = calloutTypeOf(node, this.src.lines);
          if (type === null) {
            tipQuestionsOpen = false;
            if (!this.readPlainQuote(node)) headingHint = this.readNestedTables(node, headingHint);
            break;
          }
          let end = node.position?.end.line ?? 1;
          // The plain quotes right under a callout are more of it, but one that holds a table is read as that
          // table (as the same table unquoted is), not as more text of the definition or the questions; the
          // blocks of that quote before its table are still more of the callout.
          while (blocks[i + 1]?.type === 'blockquote' && calloutTypeOf(blocks[i + 1] as Blockquote, this.src.lines) === null) {
            const next = blocks[i + 1] as Blockquote;
            const table = next.children.findIndex((child) => holdsTable(child, this.src.lines));
            if (table >= 0) {
              end = next.children[table - 1]?.position?.end.line ?? end;
              break;
            }
            i++;
            end = next.position?.end.line ?? end;
          }
          const content = parseCalloutContent(this.src.lines, node.position?.start.line ?? 1, end);
          tipQuestionsOpen = false;
          if (type === 'IMPORTANT') {
            const definition = readDefinition(content);
            if (this.page.definition !== null) {
              this.report('warning', PROBLEM_CODES.DUPLICATE_SECTION, 'A second [!IMPORTANT] callout was found; only the first is read as the definition.', node.position?.start.line, node.position?.start.column);
            } else {
              this.page.definition = definition;
            }
          } else if (type === 'TIP') {
            this.sectionAt.questions ??= { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 };
            const questions = readListQuestions(content);
            this.page.questions.push(...questions);
            this.seenTip = true;
            tipQuestionsOpen = questions.length === 0;
          } else if (!KNOWN_CALLOUTS.has(type)) {
            this.readUnknownCallout(type, content, node);
          }
          break;
        }
        case 'table': {
          const { table, comment, last } = tableAcrossComments(blocks, i, this.src.lines);
          if (comment !== null) {
            this.report('warning', PROBLEM_CODES.TABLE_MALFORMED, TABLE_COMMENT_MESSAGE, comment.line, comment.column);
            i = last;
          }
          this.classifyTable(table, headingHint);
          headingHint = '';
          tipQuestionsOpen = false;
          break;
        }
        case 'paragraph': {
          const table = recoverTable(node, this.src.lines);
          if (table) {
            this.report('warning', PROBLEM_CODES.TABLE_MALFORMED, RECOVERED_TABLE_MESSAGE, table.line, table.column);
            this.classifyTable(table, headingHint);
            headingHint = '';
          }
          break;
        }
        case 'list': {
          if (tipQuestionsOpen) {
            this.page.questions.push(...readQuestions(node));
            tipQuestionsOpen = false;
          } else if (workload !== null) {
            workload.questions.push(...readQuestions(node));
          } else if (workloadHeading !== null && (this.seenTip || this.validTaken || this.invalidTaken)) {
            workload = { workload: workloadHeading, questions: readQuestions(node) };
            this.page.workloadQuestions.push(workload);
          } else {
            headingHint = this.readNestedTables(node, headingHint);
          }
          break;
        }
        default:
          break;
      }
    }
  }

  /**
   * A heading named as the valid-example, the invalid-example or the refresh-history section (the whole
   * heading is the section's name, not just a word of it): where that section is when it holds nothing.
   */
  private noteSectionHeading(text: string, at: At): void {
    const name = sectionName(text);
    if (!this.validTaken && VALID_SECTION.test(name)) this.sectionAt.validHeading ??= at;
    if (!this.invalidTaken && INVALID_SECTION.test(name)) this.sectionAt.invalidHeading ??= at;
    if (HISTORY_SECTION.test(name)) this.sectionAt.historyHeading ??= at;
  }

  /** A callout with a marker GitHub does not define (e.g. translated): read by position, reported. */
  readUnknownCallout(type: string, content: readonly RootContent[], node: Blockquote): void {
    const line = node.position?.start.line;
    const column = node.position?.start.column;
    if (this.page.definition === null && !this.validTaken && !this.invalidTaken) {
      this.page.definition = readDefinition(content);
      this.report('warning', PROBLEM_CODES.CALLOUT_UNKNOWN, `"[!${type}]" is not a callout type; it was read as the definition because of where it stands. Write \`> [!IMPORTANT]\`.`, line, column);
      return;
    }
    const questions = readListQuestions(content);
    if (questions.length > 0 && this.page.questions.length === 0) {
      this.page.questions.push(...questions);
      this.seenTip = true;
      this.report('warning', PROBLEM_CODES.CALLOUT_UNKNOWN, `"[!${type}]" is not a callout type; its list was read as the confirmation questions. Write \`> [!TIP]\`.`, line, column);
    }
  }

  /** Reads a plain quote that holds the definition (true), or leaves it (false). */
  readPlainQuote(node: Blockquote): boolean {
    if (this.page.definition !== null || this.validTaken || this.invalidTaken) return false;
    if (!opensWithDefinitionLabel(node.children)) return false;
    this.page.definition = readDefinition(node.children);
    this.report('warning', PROBLEM_CODES.DEFINITION_NOT_CALLOUT, 'The definition is in a plain quote; start it with `> [!IMPORTANT]` so every reader finds it.', node.position?.start.line, node.position?.start.column);
    return true;
  }

  /**
   * Tables nested in a list or a plain quote are read like top-level ones: the rows under a comment that
   * cut one short too, and lines that look like a table Markdown did not read as one (each with the same
   * warning); returns the heading hint left for the next table.
   */
  readNestedTables(node: RootContent, headingHint: string): string {
    let hint = headingHint;
    const visit = (nodes: readonly RootContent[]): void => {
      for (let i = 0; i < nodes.length; i++) {
        const n = nodes[i] as RootContent;
        if (n.type === 'table') {
          const { table, comment, last } = tableAcrossComments(nodes, i, this.src.lines);
          if (comment !== null) {
            this.report('warning', PROBLEM_CODES.TABLE_MALFORMED, TABLE_COMMENT_MESSAGE, comment.line, comment.column);
            i = last;
          }
          this.classifyTable(table, hint);
          hint = '';
        } else if (n.type === 'paragraph') {
          const table = recoverTable(n, this.src.lines);
          if (table) {
            this.report('warning', PROBLEM_CODES.TABLE_MALFORMED, RECOVERED_TABLE_MESSAGE, table.line, table.column);
            this.classifyTable(table, hint);
            hint = '';
          }
        } else if (n.type === 'heading') {
          hint = plainText(n);
        } else if ('children' in n) {
          visit(n.children as RootContent[]);
        }
      }
    };
    visit([node]);
    return hint;
  }

  readCode(): void {
    const fm = this.page.frontMatter;
    const rawTitle = fm.title;
    const title = typeof rawTitle === 'string' || typeof rawTitle === 'number' ? collapseWhitespace(String(rawTitle)) : '';
    this.page.title = title === '' ? null : title;
    let code = readPageCode(this.page.title);
    let codeFrom: 'title' | 'heading' = 'title';
    if (code.kind === 'unknown' || code.unknownL1) {
      const fromHeading = readPageCode(this.page.heading);
      if ((fromHeading.kind !== 'unknown' && !fromHeading.unknownL1) || code.kind === 'unknown') {
        code = fromHeading;
        codeFrom = 'heading';
      }
    }
    const lead = this.leadHeading;
    if (code.kind === 'unknown' && this.page.heading === null && lead !== null) {
      // No title and no `#` heading: a `##` heading at the top that names a code is the page's heading.
      const fromLead = readPageCode(lead.text);
      if (fromLead.kind !== 'unknown' && !fromLead.unknownL1) {
        code = fromLead;
        codeFrom = 'heading';
        this.page.heading = lead.text;
        this.headingAt = { line: lead.line, column: lead.column };
        this.report('warning', PROBLEM_CODES.HEADING_LEVEL, `The page's heading is written with ${'#'.repeat(lead.depth)} (level ${lead.depth}); it was read as the page's heading because the page has no \`#\` heading and no title. Write it as \`# ${lead.text}\`.`, lead.line, lead.column);
      }
    }
    this.page.kind = code.kind;
    this.page.l1 = code.l1;
    this.page.l2 = code.l2;
    this.page.aliases = pageAliases(fm, this.page.heading, this.page.title, code);
    this.readRules();
    this.notePositions(codeFrom);
    const positions = this.page.positions ?? {};
    // A page that is not text at all has one problem worth reading, that one; no title and no code follow from it.
    const notText = this.problems.some((p) => p.code === PROBLEM_CODES.NOT_TEXT);
    if (this.page.title === null && !notText) this.reportNoTitle(rawTitle, code.kind === 'unknown' ? undefined : positions.code);
    if (code.unknownL1 && code.l1 !== null) {
      // At the title (or heading) the L1 was read from: its L1 is the first thing it names.
      this.reportAtOriginal('warning', PROBLEM_CODES.UNKNOWN_L1, unknownL1Message(code.l1), positions.code);
    }
    if (code.kind === 'unknown' && !notText) {
      // At the title or heading that names no code; with neither, at an empty `title:` (where the title goes).
      const message = kindUnknownMessage(this.page.title, this.page.heading, null);
      if (positions.code !== undefined) {
        this.reportAtOriginal('error', PROBLEM_CODES.KIND_UNKNOWN, message, positions.code);
      } else {
        const titleAt = 'title' in fm ? this.positionOf('title') : { line: 1, column: 1 };
        this.report('error', PROBLEM_CODES.KIND_UNKNOWN, message, titleAt.line, titleAt.column);
      }
    }
  }

  /** A problem at `at`, a line and column of the original text (1:1 when not known). */
  private reportAtOriginal(severity: Severity, code: string, message: string, at: { line: number; column: number } | undefined): void {
    this.problems.push(problemOf(this.page.file, severity, code, message, at?.line ?? 1, at?.column ?? 1));
  }

  /** Where the page writes its title, heading, aliases and `rules:`, in the original text's columns. */
  private notePositions(codeFrom: 'title' | 'heading'): void {
    const original = (at: { line: number; column: number }) => ({ line: at.line, column: this.src.originalColumn(at.line, at.column) });
    const positions: NonNullable<PlaybookPage['positions']> = {};
    const heading = this.headingAt === null ? undefined : original(this.headingAt);
    if (heading) positions.heading = heading;
    const title = this.page.title === null ? undefined : original(this.positionOf('title'));
    // A page whose code could not be told may still be read as an L1 page by its set (by its title, else its heading).
    const code = this.page.kind === 'unknown' ? (title ?? heading) : codeFrom === 'title' ? title : heading;
    if (code) positions.code = code;
    const aliases = Object.entries(this.aliasAt);
    if (aliases.length > 0) positions.aliases = Object.fromEntries(aliases.map(([name, at]) => [name, original(at)]));
    if (this.page.rules !== null && this.page.rules !== undefined) positions.rules = original(this.positionOf('rules'));
    const { validTable, validHeading, invalidTable, invalidHeading, questions, historyTable, historyHeading } = this.sectionAt;
    const valid = validTable ?? validHeading;
    if (valid) positions.valid = original(valid);
    // Only needed to say where a section that holds no example is written.
    const invalid = this.page.invalid.length === 0 ? (invalidTable ?? invalidHeading) : undefined;
    if (invalid) positions.invalid = original(invalid);
    if (questions) positions.questions = original(questions);
    const history = historyTable ?? historyHeading;
    if (history) positions.history = original(history);
    if (Object.keys(positions).length > 0) this.page.positions = positions;
  }

  /**
   * The page has no title to read: none written, an empty one, or a `title:` that holds a list or a map.
   * `headingAt`: where the heading its code was read from instead starts (original text), if it was.
   * With no `title:` key the warning stays at 1:1: the front matter's opening fence, under which the
   * key is added (the heading is named in the message, since nothing is wrong with it).
   */
  private reportNoTitle(raw: unknown, headingAt: { line: number; column: number } | undefined): void {
    const fix = 'write `title: L1 - L2` (or the L1 name on an L1 page) on one line';
    if (!('title' in this.page.frontMatter)) {
      const read = headingAt !== undefined && this.page.heading !== null ? `, so its code was read from its heading "${this.page.heading}" (line ${headingAt.line})` : '';
      this.report('warning', PROBLEM_CODES.NO_TITLE, `The page has no \`title:\` in its front matter${read}; ${fix.replace('write', 'add')}.`);
      return;
    }
    const held = Array.isArray(raw) ? 'holds a list' : typeof raw === 'object' && raw !== null ? 'holds a set of `key: value` pairs' : typeof raw === 'boolean' ? 'holds true or false' : 'is empty';
    const at = this.positionOf('title');
    // An empty block value is placed at its header (`>`): its text was meant on the lines under it.
    const block = typeof raw === 'string' ? blockHeaderOf((this.src.lines[at.line - 1] ?? '').slice(at.column - 1)) : undefined;
    if (block !== undefined) {
      this.report('warning', PROBLEM_CODES.NO_TITLE, `\`title: ${block}\` starts a block value, but no line under it is indented (with spaces) more than \`title:\`, so the title is empty and the page has no title to read its code from; indent the title's lines under it with spaces, or ${fix}.`, at.line, at.column);
      return;
    }
    this.report('warning', PROBLEM_CODES.NO_TITLE, `\`title:\` ${held}, not one line of text, so the page has no title to read its code from; ${fix}.`, at.line, at.column);
  }

  /**
   * Where the value of front-matter key `key` starts, as the front matter's reading placed it: past the tags,
   * anchor and opening quote before the value's text, on the first line of text of a block value (`title: >`),
   * or at the key when the value holds no text (`title: !!str`). For a front matter salvaged line by line that
   * is the `key:` line the value was read from, never a line inside another key's block (`description: |`).
   * 1:1 (the opening fence) when the key was not read.
   */
  private positionOf(key: string): { line: number; column: number } {
    return this.valueAt[key] ?? { line: 1, column: 1 };
  }

  /**
   * Front matter `rules:`: the L1 of the five whose status rules the page's L1 follows. It belongs on
   * the L1 page of an L1 of the playbook's own; an unknown value, the key on an L2 page, or on one of the
   * five's own pages naming another L1, is an error (the key is then ignored).
   */
  private readRules(): void {
    this.page.rules = null;
    const fm = this.page.frontMatter;
    if (!('rules' in fm) || fm.rules === undefined) return;
    const raw = fm.rules;
    const at = this.positionOf('rules');
    const allowed = KNOWN_L1_NAMES.join(', ');
    const named = typeof raw === 'string' ? findKnownL1(raw) : undefined;
    if (named === undefined) {
      const shown = typeof raw === 'string' ? `"${raw.slice(0, 60)}"` : raw === null ? 'empty' : 'not a name';
      this.report('error', PROBLEM_CODES.RULES_UNKNOWN, `\`rules:\` must name the L1 whose status rules this L1 follows, one of: ${allowed}; its value is ${shown}.`, at.line, at.column);
      return;
    }
    if (this.page.kind === 'l2') {
      this.report('error', PROBLEM_CODES.RULES_MISPLACED, `\`rules:\` belongs on an L1 page: a reason code follows the rules of its L1 (${this.page.l1 ?? 'its L1'}). Remove it here${this.page.l1 && findKnownL1(this.page.l1) === undefined ? `, and write it on the "${this.page.l1}" L1 page` : ''}.`, at.line, at.column);
      return;
    }
    const own = this.page.kind === 'l1' && this.page.l1 !== null ? findKnownL1(this.page.l1) : undefined;
    if (own !== undefined && own !== named) {
      this.report('error', PROBLEM_CODES.RULES_MISPLACED, `${own} is one of the five L1s and always follows its own status rules, so \`rules: ${named}\` cannot apply; remove the line.`, at.line, at.column);
      return;
    }
    this.page.rules = named;
  }
}

/** `text` with its first `count` lines emptied (line numbers unchanged). */
function blankLines(text: string, count: number): string {
  return text
    .split('\n')
    .map((line, i) => (i < count ? '' : line))
    .join('\n');
}

/** The word around column `column` (1-based) of `line`, cut to a readable length. */
function wordAt(line: string, column: number): string {
  const at = column - 1;
  const start = line.slice(0, at).search(/\S*$/);
  const end = at + (/^\S*/.exec(line.slice(at))?.[0].length ?? 0);
  const word = line.slice(Math.max(start, at - 30), Math.min(end, at + 30));
  return word === '' ? '\uFFFD' : word;
}

/**
 * A page that is not UTF-8 (read with U+FFFD for every byte that could not be decoded): an error at the
 * first such character, whatever their share, since each one would end up in code ids, names and examples.
 */
function reportNotUtf8(reader: PageReader, src: PreparedSource): void {
  const first = src.firstReplacement;
  const count = src.replacementCount;
  const where = first ? `line ${first.line}, column ${first.column} ("${wordAt(src.lines[first.line - 1] ?? '', first.column)}")` : 'a line past the part that was read';
  const total = count === 1 ? 'it is the only one in the page' : `the page has ${count} such characters`;
  reader.report(
  'error',
    PROBLEM_CODES.NOT_UTF8,
    `The file is not UTF-8 text: at ${where} a character could not be read and shows as \uFFFD, and ${total}. The page was probably saved as Windows-1252 (Latin-1), as some editors do with accented letters (or, for a Japanese or Chinese page, as Shift-JIS or GBK). Open it in your editor and save it again with the encoding UTF-8 (in Notepad: File > Save as > Encoding: UTF-8); until then the unreadable letters end up in code names and examples as \uFFFD.`,
    first?.line ?? 1,
    first?.column ?? 1,
  );
}

/**
 * True when `raw` is UTF-16 text read as UTF-8: a zero byte (NUL) beside nearly every character, so
 * NULs make up close to half of the start of the page and alternate with printable characters.
 */
function looksLikeUtf16(raw: string): boolean {
  const sample = raw.slice(0, 4096);
  let nul = 0;
  for (let i = 0; i < sample.length; i++) if (sample.charCodeAt(i) === 0) nul++;
  return sample.length >= 8 && nul / sample.length > 0.3 && /[\x20-\x7e]\0[\x20-\x7e]\0|\0[\x20-\x7e]\0[\x20-\x7e]/.test(sample);
}

function parsePageUnsafe(raw: string, file: string): PlaybookPage {
  const src = prepareSource(raw);
  const reader = new PageReader(src, file);
  reader.page.contentHash = sha256(raw);
  if (src.text.trim() === '') {
    reader.report('error', PROBLEM_CODES.EMPTY, 'The page is empty: write the front matter, the heading and the definition, or remove the file.');
    return reader.finish();
  }
  // Binary files and UTF-16 text carry control characters; a page saved in an 8-bit encoding such as
  // Windows-1252 has none, only the U+FFFD the UTF-8 reader put in place of each byte it could not read.
  if (src.junkRatio > 0.05 && src.controlCount > 0 && looksLikeUtf16(raw)) {
    reader.report('error', PROBLEM_CODES.NOT_TEXT, 'The file is UTF-16 text (every other byte is a zero), which Unblock does not read: it was probably saved as "Unicode" (Windows Notepad and Excel call UTF-16 that). Open it in your editor and save it again with the encoding UTF-8 (in Notepad: File > Save as > Encoding: UTF-8).');
  } else if (src.junkRatio > 0.05 && src.controlCount > 0) {
    reader.report('error', PROBLEM_CODES.NOT_TEXT, `This does not look like a text page (${Math.round(src.junkRatio * 100)}% control or undecodable characters); is it a binary file or in an encoding other than UTF-8?`);
  } else if (src.replacementCount > 0) {
    reportNotUtf8(reader, src);
  }
  // CR CR LF: a file with CRLF line ends converted to CRLF once more. Every editor and Markdown see a
  // blank line after each line, so tables and lists fall apart; say so, or only their absence is reported.
  const doubled = raw.split('\r\r\n').length - 1;
  if (doubled >= 2 && doubled * 2 >= (raw.match(/\r\n|\r|\n/g)?.length ?? 0) / 2) {
    reader.report('warning', PROBLEM_CODES.LINE_ENDS, `The page's lines end with CR CR LF (${doubled} of them: a carriage return too many, as when a file with Windows line ends is converted to them a second time), so a blank line follows every line and its tables and lists fall apart into single lines. Save it again with CRLF or LF line ends.`);
  }
  if (src.truncatedAtLine !== null) {
    if (src.cutAtQuotes) reader.report('error', PROBLEM_CODES.TOO_LARGE, `The page opens more than ${MAX_QUOTE_OPENINGS} quotes (each level of a nested quote counted); only its lines up to line ${src.truncatedAtLine - 1} were read. Split it into one page per code, or write the text outside quotes.`, src.truncatedAtLine, 1);
    else reader.report('error', PROBLEM_CODES.TOO_LARGE, `The page has ${src.originalLength} characters; only the first ${src.text.length} (up to line ${src.truncatedAtLine - 1}) were read. Split it into one page per code.`, src.truncatedAtLine, 1);
  }
  let root = parseMarkdown(src.text);
  const fm = readFrontMatter(root, src.lines, file);
  reader.page.frontMatter = fm.data;
  reader.valueAt = fm.valueAt ?? {};
  reader.aliasAt = fm.aliasAt ?? {};
  reader.page.problems.push(...fm.problems);
  if (fm.unclosed) root = parseMarkdown(src.text.replace(/^---/, '   '), false);
  else if (fm.brokenLines) root = parseMarkdown(blankLines(src.text, fm.brokenLines), false);
  const body = root.children.filter((n) => n.type !== 'yaml');
  reader.readBody(expandIndentedCode(body, src.lines));
  reader.readCode();
  return reader.finish();
}

/**
 * Parses one playbook page (Markdown with YAML front matter) into a typed page with
 * problems at 1-based line:column of `text`. Sections are found by structure: the
 * `[!IMPORTANT]` callout is the definition, the `[!TIP]` callout the questions, the first
 * two-column table the valid and the second the invalid scenarios, a table whose first
 * column holds dates the refresh history, a table of 4+ columns the entitlement scenarios,
 * H3 headings with lists after the TIP the workload questions. Scenario `l1`/`l2` are left
 * null (see `parsePlaybook`). Never throws.
 */
export function parsePage(text: string, file: string): PlaybookPage {
  const name = typeof file === 'string' ? file : String(file);
  try {
    return parsePageUnsafe(typeof text === 'string' ? text : '', name);
  } catch (error) {
    const page = emptyPage(name);
    const message = error instanceof Error ? error.message : String(error);
    page.problems = [problemOf(name, 'error', PROBLEM_CODES.INTERNAL, `The page could not be read (${message.slice(0, 200)}); please report this page to the Unblock maintainers.`)];
    return page;
  }
}
