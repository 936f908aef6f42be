/** Taxonomy, classification and note grading. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/index.js';
import type { Services } from '../../app/index.js';
import { resolveGradeLabels } from '../../app/grade-labels.js';
import { classification, classifyBody, type ClassificationBody, gradeBody, noteGrade, playbookResponse } from '../schemas/advice.js';
import { errorBody } from '../schemas/common.js';
import { KNOWN_L1_KINDS, kindOfL1Node } from '../../taxonomy/index.js';
import { findCatalogueWorkload, WORKLOAD_CATALOGUE } from '../../db/workloads.js';

const L1_KINDS = Object.values(KNOWN_L1_KINDS) as [string, ...string[]];

/** The grading context's rules live beside the services (the CLI's grader uses them without the HTTP layer); kept here too for importers of this module. */
export { resolveGradeLabels };

/**
 * The grading context's workload as the catalogue names it, given by slug or name; blank or null is no
 * workload. One the catalogue lacks answers 400 UNKNOWN_CODE, as the list's and the reports' workload
 * filters do (with the valid slugs, as `unblock notes grade --workload` lists them), rather than being
 * written into the note template as sent.
 */
function catalogueWorkload(value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  const name = findCatalogueWorkload(value.trim());
  if (name === undefined) {
    const valid = WORKLOAD_CATALOGUE.map((w) => w.slug);
    throw new AppError('UNKNOWN_CODE', `Unknown workload "${value}": give its slug or name, such as exchange-online or "Exchange Online". Valid: ${valid.join(', ')}.`, { field: 'workload', value, valid });
  }
  return name;
}

export function adviceRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/taxonomy', {
      schema: { tags: ['advice'], summary: 'The L1/L2 codes of the loaded playbook', response: { 200: z.object({ version: z.string(), l1s: z.array(z.object({ id: z.string(), name: z.string(), definition: z.string().nullable(), codes: z.array(z.string()), kind: z.enum(L1_KINDS).nullable().describe("The status rules the L1 follows: each of the five L1s its own (the id of its name); an L1 of the playbook's own the one its page names in `rules:`, else null (no rule applies)") })), codes: z.array(z.object({ id: z.string(), l1: z.string(), l2: z.string().nullable(), l3: z.string().nullable(), definition: z.string().nullable() })) }) } },
    }, async () => {
      const t = services.taxonomy();
      return { version: t.version, l1s: t.l1s.map((n) => ({ id: n.id, name: n.name, definition: n.definition, codes: n.codes, kind: kindOfL1Node(n) })), codes: t.codes.map((c) => ({ id: c.id, l1: c.l1, l2: c.l2, l3: c.l3, definition: c.definition })) };
    });

    app.get('/api/playbook', {
      schema: { tags: ['advice'], summary: 'The playbook pages: definitions, examples, questions, history and lint problems', response: { 200: playbookResponse } },
    }, async () => ({ version: services.taxonomy().version, pages: [...services.playbookPages], problems: [...services.playbookProblems] }));

    app.post('/api/classify', { schema: { tags: ['advice'], summary: 'Suggest the status code a note describes', body: classifyBody, response: { 200: classification } } }, async (request, reply) => {
      const classifier = services.classifier;
      if (!classifier) throw new AppError('NOT_FOUND', 'The classifier is not available in this installation (run `npm run build` to build its model).');
      const options = { top: request.body.top ?? 3 };
      // With worker threads the answer arrives as JSON text, made on the worker. Fastify sends a string
      // with a JSON content type as is (no second serialisation); the type provider only knows objects.
      if (classifier.classifyJson) {
        const json = await classifier.classifyJson(request.body.text, options);
        return reply.type('application/json; charset=utf-8').send(json as unknown as ClassificationBody);
      }
      return classifier.classify(request.body.text, options);
    });

    app.post('/api/notes/grade', {
      schema: {
        tags: ['advice'],
        summary: 'Grade a status note and suggest fixes',
        description: '`l1` and `l2` are resolved like a status change\'s: an unknown label answers 400 UNKNOWN_CODE, an L2 of another L1 422 RULE_VIOLATION (L2_BELONGS_TO_L1). `l2` alone must name one reason. `workload` (a slug or name of the catalogue; empty or null: none) fills the `{workload}` of the template and of the fixes that quote it; another workload answers 400 UNKNOWN_CODE, whose details list the valid slugs.',
        body: gradeBody,
        response: { 200: noteGrade, 400: errorBody, 422: errorBody },
      },
    }, async (request) => {
      if (!services.noteCoach) throw new AppError('NOT_FOUND', 'The note coach is not available in this installation.');
      const { text, l1, l2, workload, ...context } = request.body;
      return services.noteCoach.grade(text, { ...context, ...(workload === undefined ? {} : { workload: catalogueWorkload(workload) }), ...resolveGradeLabels(services.taxonomy(), l1, l2) });
    });
  };
}
