import { z } from 'zod';

export const classifyBody = z.object({ text: z.string().max(20_000), top: z.number().int().min(1).max(20).optional() });
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

export const gradeBody = z.object({
  text: z.string().max(20_000),
  l1: z.string().max(200).nullable().optional(),
  l2: z.string().max(200).nullable().optional(),
  workload: z.string().max(100).nullable().optional(),
  managed: z.boolean().nullable().optional(),
});
export type GradeBody = z.infer<typeof gradeBody>;

export const noteGrade = z.object({ grade: z.string(), score: z.number(), findings: z.array(z.object({ code: z.string(), message: z.string() }).passthrough()) }).passthrough();
export type NoteGradeBody = z.infer<typeof noteGrade>;
