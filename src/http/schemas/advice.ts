import { z } from 'zod';

export const classifyBody = z
  .strictObject({ text: z.string().max(20_000), top: z.number().int().min(1).max(20).optional() })
  .meta({ example: { text: 'IT has no one with the skills to run the new workload', top: 3 } });
export type ClassifyBody = z.infer<typeof classifyBody>;

/** The classifier's result; only the stable core is typed, the explanation passes through. */
export const classification = z
  .object({
    l1: z.string().nullable(),
    l2: z.string().nullable(),
    code: z.string().nullable(),
    confidence: z.number(),
    abstained: z.boolean(),
    reason: z.string().nullable().optional(),
    alternatives: z.array(z.unknown()).optional(),
    questions: z.array(z.unknown()).optional(),
    explanation: z.unknown().optional(),
  })
  .passthrough();
export type ClassificationBody = z.infer<typeof classification>;

export const gradeBody = z.strictObject({
  text: z.string().max(20_000),
  l1: z.string().max(200).nullable().optional(),
  l2: z.string().max(200).nullable().optional(),
  workload: z.string().max(100).nullable().optional(),
  managed: z.boolean().nullable().optional(),
}).meta({
  example: {
    text: 'Blocked: their outbound proxy strips the modern-auth headers, so Outlook cannot sign in; the network team replaces it next month, then mailboxes move.',
    l1: 'Blocked',
    l2: 'Customer IT Infrastructure and Remediation',
    workload: 'exchange-online',
  },
});
export type GradeBody = z.infer<typeof gradeBody>;

export const noteGrade = z
  .object({
    grade: z.string(),
    score: z.number(),
    findings: z.array(z.object({ code: z.string(), message: z.string() }).passthrough()),
    template: z.string().optional().describe('The shape of a great note for the note\'s L1, or the playbook\'s guidance for an L1 of its own.'),
    templateSource: z
      .enum(['shape', 'playbook', 'generic'])
      .optional()
      .describe('`shape`: a built-in L1\'s shape with {placeholders} to fill in; `playbook`: the guidance of the playbook\'s L1 page for an L1 of its own (prose to follow); `generic`: the L1 is unknown.'),
  })
  .passthrough();
export type NoteGradeBody = z.infer<typeof noteGrade>;

const problem = z.object({ severity: z.enum(['error', 'warning', 'info']), code: z.string(), message: z.string(), file: z.string(), line: z.number(), column: z.number() });
const scenario = z.object({ text: z.string(), label: z.string(), l1: z.string().nullable(), l2: z.string().nullable(), line: z.number(), column: z.number().optional() });
interface QuestionShape {
  text: string;
  children: QuestionShape[];
}
const question: z.ZodType<QuestionShape> = z.lazy(() => z.object({ text: z.string(), children: z.array(question) }));

/**
 * One parsed page, as `src/playbook` returns it, less the fields that only place its problems: the page's
 * `positions` (where its title, heading, aliases, `rules:` and sections are written), each scenario's
 * `textColumn` and `labelColumn` and the entitlement table's `cellColumns`. They are internal to the lint:
 * every problem carries its own `line` and `column`, which is all the web's playbook page (and the CLI)
 * shows, so they are left out of the answer (zod drops keys a schema does not declare) and of the OpenAPI
 * document; declare them here if a client ever needs to point at a page's parts itself.
 */
export const playbookPage = z
  .object({
    file: z.string(),
    title: z.string().nullable(),
    heading: z.string().nullable(),
    kind: z.enum(['l1', 'l2', 'unknown']),
    l1: z.string().nullable(),
    l2: z.string().nullable(),
    aliases: z.array(z.string()),
    rules: z.string().nullable().optional().describe("On the L1 page of an L1 of the playbook's own: the L1 of the five whose status rules it follows (front matter `rules:`)"),
    definition: z.string().nullable(),
    valid: z.array(scenario),
    invalid: z.array(scenario),
    questions: z.array(question),
    workloadQuestions: z.array(z.object({ workload: z.string(), questions: z.array(question) })),
    history: z.array(z.object({ date: z.string().nullable(), dateAsWritten: z.string(), who: z.string(), what: z.string() })),
    problems: z.array(problem),
    frontMatter: z.record(z.string(), z.unknown()),
    entitlementScenarios: z.object({ headers: z.array(z.string()), rows: z.array(z.array(z.string())), rowLines: z.array(z.number()).optional() }).nullable(),
    contentHash: z.string().optional(),
  });

export const playbookResponse = z.object({ version: z.string(), pages: z.array(playbookPage), problems: z.array(problem) });
export type PlaybookResponse = z.infer<typeof playbookResponse>;
