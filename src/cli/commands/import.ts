/**
 * `unblock import FILE`: the API's CSV import (POST /api/import/entitlements) from the command line,
 * on the database the server uses: all or nothing, with the same row-by-row report, warnings and
 * counts; `--dry-run` checks the file and writes nothing.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { defineCommand } from 'citty';
import { AppError, isAppError } from '../../lib/index.js';
import type { ImportSummary, RowError } from '../../tracker/index.js';
import { checkFlags, flagNames } from '../flags.js';
import { existingDatabaseArg } from '../database-arg.js';
import { actorFor } from '../tracker-args.js';

/** Row errors and warnings printed before "and N more". */
const SHOWN = 50;

/** The import's answer as lines for a person. */
export function describeSummary(summary: ImportSummary): string {
  const counts = `${summary.customersCreated} customer(s) and ${summary.entitlementsCreated} entitlement(s) created, ${summary.entitlementsUpdated} updated, ${summary.unchanged} unchanged`;
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

/**
 * A line after the row errors when some name a status this playbook lacks: the command may have read
 * another playbook than the server runs with (the built-in one, for a database of a partner's own codes).
 */
export function unknownCodeHint(details: unknown, playbookDir: string | null): string {
  const rows = ((details ?? {}) as { rows?: RowError[] }).rows;
  if (!Array.isArray(rows) || !rows.some((row) => row.errors.some((e) => /^Unknown (status code|L1|L2)\b/.test(e.message)))) return '';
  const read = playbookDir ? `the pages in ${playbookDir}` : 'the built-in playbook';
  return `Some rows name a status that ${read} does not define: if the server runs with other pages, give them with --playbook DIR (or PLAYBOOK_DIR).\n`;
}

function openInput(file: string): Readable {
  if (file === '-') return process.stdin;
  if (!existsSync(file)) throw new AppError('BAD_ARGUMENTS', `No file "${file}".`);
  if (statSync(file).isDirectory()) throw new AppError('BAD_ARGUMENTS', `"${file}" is a folder; give the CSV file.`);
  return createReadStream(file);
}

export default defineCommand({
  meta: { name: 'import', description: 'Import entitlement statuses from a CSV file (as the API does: all or nothing, row-by-row errors); --dry-run writes nothing' },
  args: {
    file: { type: 'positional', required: true, description: 'CSV file (columns as in the export: tenant_id, workload, part, code or l1 + l2, note, ...); - reads standard input' },
    as: { type: 'string', valueHint: 'email', description: "Email of the user the import acts as (their role and partner apply; history names them); default the system, as an admin of every partner (a 'partner' column is then needed to create customers)" },
    'dry-run': { type: 'boolean', description: 'Check the file and print what the import would do, without writing anything' },
    advise: { type: 'boolean', default: true, description: 'Grade each changed note and ask the classifier', negativeDescription: 'Skip grading and classifying the notes (faster for large files)' },
    'restore-duplicate-invalid': { type: 'boolean', description: 'Let rows take Duplicate/Invalid customers out of Duplicate/Invalid (restore them)' },
    json: { type: 'boolean', description: 'Print the import summary as JSON' },
    database: existingDatabaseArg,
    playbook: { type: 'string', description: 'Folder of playbook pages the database is served with (env PLAYBOOK_DIR); default the built-in playbook' },
  },
  async run({ args, rawArgs, cmd }) {
    checkFlags(rawArgs, flagNames(cmd.args), 'import');
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
      const actor = args.as === undefined ? SYSTEM_ACTOR : await actorFor(services, String(args.as), 'import');
      const file = await readImportCsv(input, config.importLimitBytes);
      let summary: ImportSummary;
      try {
        summary = await importEntitlements(services.tracker, actor, file.records, {
          advise,
          dryRun: args['dry-run'] === true,
          restoreDuplicateInvalid: args['restore-duplicate-invalid'] === true,
          header: file.header,
        });
      } catch (error) {
        if (isAppError(error) && error.code === 'CSV_INVALID') process.stderr.write(describeRowErrors(error.details) + unknownCodeHint(error.details, config.playbookDir));
        throw error;
      }
      process.stdout.write(args.json ? `${JSON.stringify(summary, null, 2)}\n` : describeSummary(summary));
      if (!args.json && !summary.dryRun) process.stderr.write(`Database: ${describeDatabase(config)}\n`);
    } finally {
      await services.close();
    }
  },
});
