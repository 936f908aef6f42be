/** Taxonomy, classification and note grading. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, normalizeLabel, slugify } from '../../lib/index.js';
import type { Services } from '../../app/index.js';
import { resolveLabel, type Taxonomy } from '../../taxonomy/index.js';
import { resolveStatusCode } from '../../tracker/index.js';
import { unknownL1Error, unknownL2Error } from '../../tracker/entitlements.js';
import { classification, classifyBody, type ClassificationBody, gradeBody, noteGrade, playbookResponse } from '../schemas/advice.js';
import { errorBody } from '../schemas/common.js';
import { findCatalogueWorkload } from '../../db/workloads.js';

const given = (label: string | null | undefined): string | undefined => (label === null || label === undefined || label.trim() === '' ? undefined : label);

/**
 * The grading context's L1 and L2 as the playbook names them, resolved as a status change resolves
 * them (resolveStatusCode): UNKNOWN_CODE for a label the playbook lacks, RULE_VIOLATION for an L2 of
 * another L1. An L1 alone needs no L2; an L2 alone goes through the taxonomy's label resolution and
 * must name one code. Neither given: no context.
 */
export function resolveGradeLabels(taxonomy: Taxonomy, l1Label: string | null | undefined, l2Label: string | null | undefined): { l1?: string; l2?: string | null } {
  const l1 = given(l1Label);
  const l2 = given(l2Label);
  if (l1 !== undefined && l2 !== undefined) {
    const code = resolveStatusCode(taxonomy, { l1, l2 });
    return { l1: code.l1, l2: code.l2 };
  }
  if (l1 !== undefined) {
    const node = taxonomy.l1s.find((n) => normalizeLabel(n.name) === normalizeLabel(l1) || n.id === slugify(l1));
    if (!node) throw unknownL1Error(l1, taxonomy.l1s.map((n) => n.name));
    return { l1: node.name };
  }
  if (l2 !== undefined) {
    const resolved = resolveLabel(taxonomy, l2);
    if (resolved.ok) return { l1: resolved.code.l1, l2: resolved.code.l2 };
    if (resolved.reason === 'ambiguous') {
      throw new AppError('UNKNOWN_CODE', `"${l2}" names several codes (${resolved.candidates.map((c) => c.id).join(', ')}); give its l1 too.`, { l2, candidates: resolved.candidates.map((c) => c.id) });
    }
    throw unknownL2Error(l2, [...new Set(taxonomy.codes.flatMap((c) => (c.l2 === null ? [] : [c.l2])))]);
  }
  return {};
}

/**
 * The grading context's workload: the catalogue's name for one of its workloads, so that the note
 * template reads "Customer wants Exchange Online ..." for `exchange-online` too; any other text as
 * given (the grader takes it as context, and fills the template with it).
 */
export function gradeWorkload(value: string | null | undefined): string | null | undefined {
  const name = given(value);
  return name === undefined ? value : (findCatalogueWorkload(name) ?? name);
}

export function adviceRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/taxonomy', {
      schema: { tags: ['advice'], summary: 'The L1/L2 codes of the loaded playbook', response: { 200: z.object({ version: z.string(), l1s: z.array(z.object({ id: z.string(), name: z.string(), definition: z.string().nullable(), codes: z.array(z.string()) })), codes: z.array(z.object({ id: z.string(), l1: z.string(), l2: z.string().nullable(), l3: z.string().nullable(), definition: z.string().nullable() })) }) } },
    }, async () => {
      const t = services.taxonomy();
      return { version: t.version, l1s: t.l1s.map((n) => ({ id: n.id, name: n.name, definition: n.definition, codes: n.codes })), codes: t.codes.map((c) => ({ id: c.id, l1: c.l1, l2: c.l2, l3: c.l3, definition: c.definition })) };
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
        description: '`l1` and `l2` are resolved like a status change\'s: an unknown label answers 400 UNKNOWN_CODE, an L2 of another L1 422 RULE_VIOLATION (L2_BELONGS_TO_L1). `l2` alone must name one reason. `workload` (a slug or name of the catalogue, or other text as is) fills the `{workload}` of the template and of the fixes that quote it.',
        body: gradeBody,
        response: { 200: noteGrade, 400: errorBody, 422: errorBody },
      },
    }, async (request) => {
      if (!services.noteCoach) throw new AppError('NOT_FOUND', 'The note coach is not available in this installation.');
      const { text, l1, l2, workload, ...context } = request.body;
      return services.noteCoach.grade(text, { ...context, ...(workload === undefined ? {} : { workload: gradeWorkload(workload) }), ...resolveGradeLabels(services.taxonomy(), l1, l2) });
    });
  };
}
