import { z } from 'zod';
import { idNumber, roleSchema } from './common.js';

export const loginBody = z.strictObject({ email: z.string().min(1).max(320), password: z.string().min(1).max(1000) });
export type LoginBody = z.infer<typeof loginBody>;

export const me = z.object({
  id: z.number().int().nullable(),
  name: z.string(),
  email: z.string().nullable().describe('Your sign-in email; null only for the system actor'),
  role: roleSchema,
  partnerId: z.number().int().nullable(),
  mustChangePassword: z
    .boolean()
    .describe('True while your password is one a manager or admin chose: until you choose your own (PUT /api/me/password), your login session gets 403 PASSWORD_CHANGE_REQUIRED everywhere but GET /api/me, that change and signing out'),
});
export type Me = z.infer<typeof me>;

export const partner = z.object({ id: z.number().int(), name: z.string(), createdAt: z.string() });
export type Partner = z.infer<typeof partner>;
export const newPartner = z.strictObject({ name: z.string().trim().min(1).max(200) }).meta({ example: { name: 'Lakeside Cloud Partners' } });

export const user = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  partnerId: z.number().int().nullable(),
  disabled: z.boolean(),
  createdAt: z.string(),
  mustChangePassword: z.boolean().describe('True while the password is one a manager or admin chose: the user has not chosen their own yet'),
});
export type User = z.infer<typeof user>;
/** A password to set: 8 to 1000 characters, not only whitespace (src/tracker/accounts.ts checks the same). */
const newPassword = z.string().min(8, 'must be at least 8 characters').max(1000).regex(/\S/, 'must not be only spaces');
export const newUser = z.strictObject({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  role: roleSchema,
  partnerId: idNumber.nullable().optional(),
  password: newPassword.optional(),
}).meta({ example: { email: 'new.editor@example.com', name: 'Noor Haddad', role: 'editor' } });
export type NewUser = z.infer<typeof newUser>;
export const createdUser = user.extend({ password: z.string().optional().describe('The generated password when none was sent: shown only now, pass it on safely.') });
export const passwordReset = z.object({ password: newPassword }).strict();
export const passwordChange = z.object({ currentPassword: z.string().min(1).max(1000), newPassword }).strict();
export const userChanges = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    role: z.enum(['manager', 'editor', 'viewer']).optional().describe('Not admin: admins are created, never promoted'),
    disabled: z.boolean().optional().describe('true ends the sessions and refuses tokens and logins (401 ACCOUNT_DISABLED)'),
  })
  .strict()
  // Only when nothing else is wrong: a body of misspelt fields alone (`{"nme": "x"}`) is not empty, its fields are unknown.
  .refine((v) => Object.keys(v).length > 0, { message: 'is empty: send at least one of name, role, disabled', when: (payload) => payload.issues.length === 0 });
export type UserChanges = z.infer<typeof userChanges>;

export const token = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  parentTokenId: z.number().int().nullable().describe('The token this one was issued with (it expires no later and is revoked with it); null when issued from a login session or the CLI'),
});
export type Token = z.infer<typeof token>;
export const newToken = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /** Days until expiry (default 90); null for a token that never expires. */
  expiresInDays: z.number().int().min(1).max(3650).nullable().optional(),
  userId: idNumber.optional(),
}).meta({ example: { name: 'nightly report script', expiresInDays: 90 } });
export type NewToken = z.infer<typeof newToken>;
export const createdToken = z.object({ token: z.string().describe('The secret: shown only now, store it safely.'), info: token });
