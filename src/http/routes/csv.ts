/** CSV import (streamed, all-or-nothing, row-by-row errors) and export of any filtered list. */
import { PassThrough, Readable } from 'node:stream';
import type { FastifySchemaCompiler } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/index.js';
import { importEntitlements, iterateEntitlements } from '../../tracker/index.js';
import { checkEntitlementFilter } from '../../tracker/entitlements.js';
import type { Services } from '../../app/index.js';
import { actorOf } from '../auth.js';
import { csvTooLarge, exportCells, exportStringifier, readImportCsv } from '../csv.js';
import { unsupportedMediaType } from '../errors.js';
import { validatorFor } from '../validation.js';
import { errorBody } from '../schemas/common.js';
import { exportQuery, importSummary } from '../schemas/csv.js';

/**
 * A flag of the import, named `name`: `true` or `false` in any case (Python's requests and PowerShell
 * write `True`), as `order` is read. The route keeps blank parameters (validatorFor's
 * keepBlankParameters), so a flag given without a value (`?dryRun`, `?dryRun=`, or only spaces) reaches
 * the schema and is refused here: everywhere else a blank parameter is the same as none, and a bare
 * `dryRun` meant as "yes" would then import the file for real.
 */
const flag = (name: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? '' : v.toLowerCase()) : v),
    z.enum(['true', 'false'], { error: (issue) => (issue.input === '' ? `is given without a value; write ${name}=true or ${name}=false` : undefined) }),
  ).optional();

/**
 * The import's validator: blank query parameters are kept for its strict schema to name (see {@link flag}).
 * Typed as a route's option wants it (Fastify types its `schema` as the route's whole schema object; the
 * validator is given each part's schema, as the app's own is).
 */
const keepingBlankParameters = validatorFor({ keepBlankParameters: true }) as FastifySchemaCompiler<unknown>;

export function csvRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    const importLimit = services.config?.importLimitBytes ?? 100 * 1024 * 1024;
    app.addContentTypeParser(['text/csv', 'application/csv'], (_request, payload, done) => done(null, payload));

    app.post('/api/import/entitlements', {
      bodyLimit: importLimit,
      validatorCompiler: keepingBlankParameters,
      config: { minRole: 'editor', bodyLimitSetting: 'IMPORT_LIMIT_BYTES', bodyTooLarge: csvTooLarge, bodyMediaType: 'text/csv' },
      schema: {
        tags: ['import/export'],
        summary: 'Import entitlement statuses from CSV (text/csv), all or nothing',
        description: 'Header names as in the export (tenant_id, workload, part, code or l1 + l2, note, target_date, ...). Missing customers/entitlements are created (manager role). Any bad row rejects the file with 422 CSV_INVALID and details.rows listing each line\'s problems (every problem of a row at once). An admin\'s file that creates customers without a partner column is refused once, for the file: CSV_INVALID with details.missingColumns ["partner"]. When an entitlement changes while the file is imported, nothing is written and the answer is 409 VERSION_CONFLICT whose details.rows name each row concerned (line, entitlement id, the file\'s version, the version read, the current version; at most 100, details.conflictingRows counts them all). `?advise=false` skips note grading and classification (faster). A row that takes a Duplicate/Invalid customer out of Duplicate/Invalid is an error (code RESTORE_NOT_CONFIRMED) unless the request has `?restoreDuplicateInvalid=true`. Row errors name each column as the file\'s header writes it. An `id` cell (the export\'s) must be the entitlement the row\'s tenant_id, workload and part name: an id that names another entitlement (a row whose tenant_id was changed in an edited export) or none is a row error at `id` rather than a change to another entitlement; an empty id checks nothing. A file exported from another database (whose ids name nothing, or other entitlements, here, and whose versions count that database\'s changes) is imported with `?ignoreIds=true`, which leaves the id and version columns unread. An unknown query parameter (`dryrun`) or a flag without a value (`?dryRun`) answers 400 VALIDATION_FAILED before the file is read, so that a check meant as one is never a real import. A file of the export\'s header alone (an export of nothing) imports as a change of nothing, with `notice`.',
        consumes: ['text/csv'],
        // Strict, unlike other routes' query strings: an ignored `dryrun=true` (or a bare `dryRun`, see
        // flag) would turn a check into a real import.
        querystring: z.strictObject({
          advise: flag('advise').describe('false to skip grading and classifying the changed notes (faster); true or false, in any case'),
          restoreDuplicateInvalid: flag('restoreDuplicateInvalid').describe('true to let the file take Duplicate/Invalid customers out of Duplicate/Invalid (restore them); without it such rows are errors'),
          dryRun: flag('dryRun').describe('true to check the file and answer what the import would do (the same errors, warnings and counts, `dryRun: true`) without writing anything'),
          ignoreIds: flag('ignoreIds').describe('true to leave the file\'s id and version columns unread, each row naming its entitlement by tenant_id, workload and part alone, unchecked for changes since the export: for a file exported from another database, whose ids name other entitlements or none here and whose versions count that database\'s changes'),
        }),
        response: { 200: importSummary, 403: errorBody, 409: errorBody, 413: errorBody, 415: errorBody, 422: errorBody },
      },
    }, async (request) => {
      const actor = actorOf(request);
      const body = request.body as Readable | undefined;
      if (typeof body?.pipe !== 'function') throw unsupportedMediaType(request);
      // A compressed body would be read as CSV and refused for its "columns"; say what is wrong instead.
      const encoding = String(request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
      if (encoding !== 'identity' && encoding !== '') {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Send the file uncompressed: the import does not read a body with \`Content-Encoding: ${encoding}\`.`, { contentEncoding: encoding });
      }
      const file = await readImportCsv(body, importLimit);
      return importEntitlements(services.tracker, actor, file.records, {
        advise: request.query.advise !== 'false',
        restoreDuplicateInvalid: request.query.restoreDuplicateInvalid === 'true',
        dryRun: request.query.dryRun === 'true',
        ignoreIds: request.query.ignoreIds === 'true',
        header: file.header,
      });
    });

    app.get('/api/export/entitlements.csv', {
      // The link's address names the user too: "Save link as" sends no X-Unblock-User (auth.ts).
      config: {
        sessionUserParameter: 'user',
        errorsSay: { 401: 'UNAUTHENTICATED (no valid token or session), ACCOUNT_DISABLED, or SESSION_CHANGED (the X-Unblock-User header or the user parameter names another user than the credential\'s)' },
      },
      schema: {
        tags: ['import/export'],
        summary: 'Export the filtered entitlements as CSV (same filters and order as the list)',
        description: 'Every matching row, in the list\'s `sort` and `order`. A text cell starting with = + - @, tab or carriage return gets a leading `\'` so spreadsheets do not run it as a formula; the import removes it again. The file starts with a UTF-8 byte order mark (U+FEFF) so that Excel reads it as UTF-8.',
        querystring: exportQuery,
        produces: ['text/csv'],
      },
    }, async (request, reply) => {
      const actor = actorOf(request);
      // `user` was checked with the sign-in (auth.ts); it filters nothing.
      const { user: _checked, ...query } = request.query;
      // Filters that would fail are refused before the stream starts: once it has, an error can only cut the file short.
      await checkEntitlementFilter(services.tracker, actor, query);
      // Dated, so that exports taken on different days do not overwrite each other in a downloads folder.
      const filename = `unblock-entitlements-${services.tracker.clock.now().toISOString().slice(0, 10)}.csv`;
      reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`);
      // HEAD (which Fastify answers with this handler, then drains the body) gets the GET's status and
      // headers without the row query: an empty stream, so no Content-Length of 0 either.
      if (request.method === 'HEAD') return reply.send(Readable.from([]));
      const stringifier = exportStringifier();
      const out = new PassThrough();
      stringifier.pipe(out);
      void (async () => {
        try {
          for await (const e of iterateEntitlements(services.tracker, actor, query)) {
            if (!stringifier.write(exportCells(e))) await new Promise((resolve) => stringifier.once('drain', resolve));
          }
          stringifier.end();
        } catch (error) {
          request.log.error({ err: error }, 'export failed');
          out.destroy(error as Error);
        }
      })();
      return reply.send(out);
    });
  };
}
