/**
 * `unblock import FILE`: the API's CSV import (POST /api/import/entitlements) from the command line,
 * on the database the server uses: all or nothing, with the same row-by-row report, warnings and
 * counts; `--dry-run` checks the file and writes nothing; `--ignore-ids` takes an export of another
 * database (its id and version columns unread).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { defineCommand } from 'citty';
import { AppError, isAppError } from '../../lib/index.js';
import type { Services } from '../../app/index.js';
import type { CodeOutsideTaxonomy } from '../../reports/codes-in-use.js';
import { codeIdOf, findNearestCodeId } from '../../taxonomy/index.js';
import type { ImportRecord, ImportSummary, RowError } from '../../tracker/index.js';
import { checkExtraWords, checkFlags, flagNames } from '../flags.js';
import { jsonDocument } from '../json-output.js';
import { existingDatabaseArg } from '../database-arg.js';
import { actorFor, textArg } from '../tracker-args.js';

/** Row errors and warnings printed before "and N more". */
const SHOWN = 50;

/** The import's answer as lines for a person. */
export function describeSummary(summary: ImportSummary): string {
  const counts = `${summary.customersCreated} customer(s) and ${summary.entitlementsCreated} entitlement(s) created, ${summary.entitlementsUpdated} updated, ${summary.unchanged} unchanged`;
  // An export of nothing read back: the server's own sentence says what happened better than zero counts.
  if (summary.notice !== undefined) return `${summary.notice}\n`;
  const lines = [summary.dryRun ? `Dry run, nothing written: the ${summary.rows} row(s) would give ${counts}.` : `Imported ${summary.rows} row(s): ${counts}.`];
  if (summary.warningCount > 0) {
    lines.push(`${summary.warningCount} warning(s) about notes (the import ${summary.dryRun ? 'would go' : 'went'} ahead):`);
    for (const w of summary.warnings.slice(0, SHOWN)) lines.push(`  line ${w.line}: ${w.code}: ${w.message}`);
    if (summary.warningCount > SHOWN) lines.push(`  ... and ${summary.warningCount - SHOWN} more (--json lists up to ${summary.warnings.length})`);
  }
  return `${lines.join('\n')}\n`;
}

/** A CSV_INVALID's row report as lines (`line 7, note: ...`). */
export function describeRowErrors(details: unknown): string {
  const d = (details ?? {}) as { rows?: RowError[]; rowsWithErrors?: number };
  if (!Array.isArray(d.rows) || d.rows.length === 0) return '';
  const lines = d.rows.slice(0, SHOWN).flatMap((row) => row.errors.map((e) => `  line ${row.line}, ${e.field}: ${e.message}`));
  const total = d.rowsWithErrors ?? d.rows.length;
  if (total > SHOWN) lines.push(`  ... and ${total - SHOWN} more row(s) with problems`);
  return `${lines.join('\n')}\n`;
}

/** Row errors that name a status the playbook lacks (a code, L1 or L2 it does not define). */
const UNKNOWN_STATUS = /^Unknown (status code|L1|L2)\b/;

/** The lines of a CSV_INVALID's row report with an error naming a status the playbook lacks. */
export function linesNamingUnknownStatus(details: unknown): number[] {
  const rows = ((details ?? {}) as { rows?: RowError[] }).rows;
  if (!Array.isArray(rows)) return [];
  return rows.filter((row) => row.errors.some((e) => UNKNOWN_STATUS.test(e.message))).map((row) => row.line);
}

/** The status a row names, as a code id: its code cell, else its l1 and l2 cells; null when it names none. */
export function statusIdOfRow(cells: ImportRecord['cells']): string | null {
  if (cells.code !== undefined && cells.code.trim() !== '') return cells.code.trim().toLowerCase();
  if (cells.l1 !== undefined && cells.l1.trim() !== '') return codeIdOf(cells.l1, cells.l2 ?? null);
  return null;
}

/**
 * Whether `id` reads as a slip of a code in `defined` (the code itself, or one spelled close to it, by
 * the measure the start-up warning about stored codes uses) rather than as a code of other pages.
 */
function isNearDefinedCode(id: string, defined: readonly string[]): boolean {
  return defined.includes(id) || findNearestCodeId(id, defined) !== undefined;
}

/** What says that statuses the playbook read lacks may be those of other pages, not typos. */
export interface OtherPagesEvidence {
  /** Statuses of the file's failing rows spelled close to no code of the playbook read. */
  farCodes: string[];
  /** Codes the database's entitlements use that the playbook read does not define. */
  storedOutside: readonly Pick<CodeOutsideTaxonomy, 'code' | 'count'>[];
}

/**
 * The statuses of the rows at `lines` that are spelled close to no code of `defined`; the rest are
 * taken for typos, which the row errors already answer by listing the valid choices.
 */
export function farUnknownCodes(records: readonly ImportRecord[], lines: readonly number[], defined: readonly string[]): string[] {
  const wanted = new Set(lines);
  const ids = records.filter((r) => wanted.has(r.line)).map((r) => statusIdOfRow(r.cells));
  return [...new Set(ids.filter((id): id is string => id !== null && !isNearDefinedCode(id, defined)))];
}

/**
 * A line after the row errors when some name a status this playbook lacks and something says the
 * server may run with other pages (the command read the built-in playbook, say, for a database of a
 * partner's own codes): the database already holds codes the playbook lacks, or a status in the file is
 * spelled close to none of its codes. A status one slip away from a defined code, on a database that
 * holds none of another playbook's codes, is a typo: its row error lists the valid choices, and talk of
 * other pages would mislead.
 */
export function unknownCodeHint(details: unknown, playbookDir: string | null, evidence: OtherPagesEvidence): string {
  if (linesNamingUnknownStatus(details).length === 0) return '';
  if (evidence.farCodes.length === 0 && evidence.storedOutside.length === 0) return '';
  const read = playbookDir ? `the pages in ${playbookDir}` : 'the built-in playbook';
  const lines = [`Some rows name a status that ${read} does not define: if the server runs with other pages, give them with --playbook DIR (or PLAYBOOK_DIR).`];
  if (evidence.storedOutside.length > 0) {
    const count = evidence.storedOutside.reduce((sum, c) => sum + c.count, 0);
    const examples = evidence.storedOutside.slice(0, 3).map((c) => c.code).join(', ');
    lines.push(`The database holds ${count} entitlement(s) under ${evidence.storedOutside.length} status(es) ${read} does not define either, such as ${examples}.`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Gathers {@link OtherPagesEvidence} for a failed import: the database is read only when some row names
 * an unknown status, and a failed read counts as no evidence (the row report is what matters then).
 */
async function findOtherPagesEvidence(services: Services, records: readonly ImportRecord[], details: unknown): Promise<OtherPagesEvidence> {
  const lines = linesNamingUnknownStatus(details);
  if (lines.length === 0) return { farCodes: [], storedOutside: [] };
  const taxonomy = services.taxonomy();
  const farCodes = farUnknownCodes(records, lines, taxonomy.codes.map((c) => c.id));
  const { findCodesOutsideTaxonomy } = await import('../../reports/codes-in-use.js');
  const storedOutside = await findCodesOutsideTaxonomy(services.db.kysely, taxonomy).catch(() => []);
  return { farCodes, storedOutside };
}

/**
 * Said once, instead of a row error on every row that creates a customer, when the import runs as the
 * system (no --as) and the file that creates customers has no partner column: the person did not say
 * they act as an administrator, so the way out is either the column or --as.
 */
export const NO_PARTNER_COLUMN =
  'Without --as the import runs as an administrator across all partners, so each row that creates a customer needs a partner column; add one, or give --as EMAIL of a user of the partner.';

/** Whether a CSV_INVALID's details say the file lacks the partner column that creating customers as an administrator needs. */
export function missesPartnerColumn(details: unknown): boolean {
  const missing = ((details ?? {}) as { missingColumns?: unknown }).missingColumns;
  return Array.isArray(missing) && missing.includes('partner');
}

function openInput(file: string): Readable {
  if (file === '-') return process.stdin;
  if (!existsSync(file)) throw new AppError('BAD_ARGUMENTS', `No file "${file}".`);
  if (statSync(file).isDirectory()) throw new AppError('BAD_ARGUMENTS', `"${file}" is a folder; give the CSV file.`);
  return createReadStream(file);
}

export default defineCommand({
  meta: { name: 'import', description: 'Import entitlement statuses from a CSV file (as the API does: all or nothing, row-by-row errors); --dry-run writes nothing.' },
  args: {
    file: { type: 'positional', required: true, description: 'CSV file (columns as in the export: tenant_id, workload, part, code or l1 + l2, note, ...); - reads standard input' },
    as: { type: 'string', valueHint: 'email', description: "Email of the user the import acts as (their role and partner apply; history names them); default the system, as an admin of every partner (a 'partner' column is then needed to create customers)" },
    'dry-run': { type: 'boolean', description: 'Check the file and print what the import would do, without writing anything' },
    advise: { type: 'boolean', default: true, description: 'Grade each changed note and ask the classifier', negativeDescription: 'Skip grading and classifying the notes (faster for large files)' },
    'restore-duplicate-invalid': { type: 'boolean', description: 'Let rows take Duplicate/Invalid customers out of Duplicate/Invalid (restore them)' },
    'ignore-ids': { type: 'boolean', description: "Leave the file's id and version columns unread, each row naming its entitlement by tenant_id, workload and part alone, unchecked for changes since the export: for an export of another database, whose ids name other entitlements, or none, in this one, and whose versions count that database's changes" },
    json: { type: 'boolean', description: 'Print the import summary as JSON' },
    database: existingDatabaseArg,
    playbook: { type: 'string', valueHint: 'dir', description: 'Folder of playbook pages the database is served with (env PLAYBOOK_DIR); default the built-in playbook' },
  },
  async run({ args, rawArgs, cmd }) {
    checkFlags(rawArgs, flagNames(cmd.args), 'import');
    checkExtraWords(rawArgs, cmd.args, 'import');
    // `--as` left without its email is refused as `export` refuses it, before the database is opened.
    const as = textArg(args.as, 'as');
    const input = openInput(String(args.file));
    const advise = args.advise !== false;
    const [{ readImportCsv }, { SYSTEM_ACTOR, importEntitlements }, { describeDatabase, openExistingTracker }] = await Promise.all([
      import('../../http/csv.js'),
      import('../../tracker/index.js'),
      import('../database.js'),
    ]);
    // The classifier only when notes are advised: one worker beside this thread, as `serve` has.
    const { config, services } = await openExistingTracker(args, 'import', { classifier: advise, classifierWorkers: advise ? 1 : 0 });
    try {
      const actor = as === undefined ? SYSTEM_ACTOR : await actorFor(services, as, 'import');
      const file = await readImportCsv(input, config.importLimitBytes).catch((error: unknown) => {
        // Piped in, "the file" the reader speaks of is standard input ("Standard input is empty; ...").
        if (args.file === '-' && isAppError(error) && error.message.startsWith('The file ')) throw new AppError(error.code, `Standard input ${error.message.slice('The file '.length)}`, error.details);
        throw error;
      });
      let summary: ImportSummary;
      try {
        summary = await importEntitlements(services.tracker, actor, file.records, {
          advise,
          dryRun: args['dry-run'] === true,
          restoreDuplicateInvalid: args['restore-duplicate-invalid'] === true,
          ignoreIds: args['ignore-ids'] === true,
          header: file.header,
        });
      } catch (error) {
        // The user --as names may not import (a viewer): the argument to correct, named as such (exit 2).
        if (as !== undefined && isAppError(error) && error.code === 'FORBIDDEN') throw new AppError('BAD_ARGUMENTS', `--as ${as}: ${error.message} Give --as a user who may import, or leave --as out to import as an administrator.`, error.details);
        if (as === undefined && isAppError(error) && error.code === 'CSV_INVALID' && missesPartnerColumn(error.details)) throw new AppError('BAD_ARGUMENTS', NO_PARTNER_COLUMN);
        if (isAppError(error) && error.code === 'CSV_INVALID') {
          const evidence = await findOtherPagesEvidence(services, file.records, error.details);
          process.stderr.write(describeRowErrors(error.details) + unknownCodeHint(error.details, config.playbookDir, evidence));
        }
        throw error;
      }
      process.stdout.write(args.json ? jsonDocument(summary) : describeSummary(summary));
      if (!args.json && !summary.dryRun) process.stderr.write(`Database: ${describeDatabase(config)}\n`);
    } finally {
      await services.close();
    }
  },
});
