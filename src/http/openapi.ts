/**
 * What the OpenAPI document says beyond the routes' zod schemas: the error answers every route can
 * give (400 for bad input, 401 without a credential, 403 below the route's role, 413 and 415 for a body), the role a route
 * needs, and the CSV bodies of the import and the export, which are streams and so have no schema
 * of their own. Documentation only: the routes' validation and serialisation are untouched.
 */
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { errorBody } from './schemas/common.js';
import { CLOSED_TO_TOKENS_WHILE_PASSWORD_CHANGE_REQUIRED, OPEN_WHILE_PASSWORD_CHANGE_REQUIRED } from './auth.js';

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];
type RouteSchema = NonNullable<TransformInput['schema']> & Record<string, unknown>;

const error = (description: string) => ({ description, content: { 'application/json': { schema: errorBody } } });

const ERROR_DESCRIPTIONS: Record<string, string> = {
  400: 'Bad input: VALIDATION_FAILED (details name each field), INVALID_JSON, UNKNOWN_CODE or BAD_ARGUMENTS',
  401: 'UNAUTHENTICATED (no valid token or session), ACCOUNT_DISABLED, or SESSION_CHANGED (the X-Unblock-User header names another user than the credential\'s)',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND (also for another partner\'s data)',
  409: 'CONFLICT, VERSION_CONFLICT or TOKEN_NAME_TAKEN',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'RULE_VIOLATION, CSV_INVALID or RESTORE_NOT_CONFIRMED',
  429: 'RATE_LIMITED (see the Retry-After header)',
};

/** The media types whose bodies the OpenAPI document describes as text: the CSV import's. */
const CSV_BODY = { type: 'string', description: 'The CSV file, UTF-8 (a byte order mark is dropped); header names as in the export' } as const;
const CSV_FILE = { type: 'string', description: 'The CSV file: a UTF-8 byte order mark, a header row, one row per entitlement' } as const;

const PASSWORD_CHANGE_REQUIRED = 'PASSWORD_CHANGE_REQUIRED: your password was chosen by a manager or an admin; choose your own with PUT /api/me/password first';

/** What the 403 of a route says: the role it needs, and whether a user who must change their password is held back. */
function forbiddenSays(minRole: string | undefined, passwordHold: 'session' | 'session and token' | null): string | undefined {
  const parts: string[] = [];
  if (minRole) parts.push(`FORBIDDEN: the route needs the ${minRole} role or higher (checked before the request is validated), or the change is not yours to make`);
  if (passwordHold) parts.push(`${PASSWORD_CHANGE_REQUIRED} (${passwordHold === 'session' ? 'login sessions; API tokens are not held back' : 'with a login session or an API token'})`);
  return parts.length > 0 ? parts.join('; or ') : undefined;
}

/** `jsonSchemaTransform` plus the answers and notes above; hidden routes stay hidden. */
export function describeRoute(input: TransformInput): ReturnType<typeof jsonSchemaTransform> {
  const schema = input.schema as RouteSchema | undefined;
  if (!schema || schema.hide) return jsonSchemaTransform(input);
  const config = (input.route as { config?: { public?: boolean; minRole?: string; errorsSay?: Record<number, string> } }).config ?? {};
  const response: Record<string, unknown> = { ...((schema.response as Record<string, unknown> | undefined) ?? {}) };
  const consumes = schema.consumes as string[] | undefined;
  const takesInput = schema.body !== undefined || schema.querystring !== undefined || schema.params !== undefined || consumes !== undefined;
  if (takesInput && !response[400]) response[400] = errorBody;
  if (!config.public && !response[401]) response[401] = errorBody;
  // A route that reads a body refuses one over its size limit and one of another media type (JSON routes: not JSON).
  if (schema.body !== undefined || consumes !== undefined) {
    if (!response[413]) response[413] = errorBody;
    if (!response[415]) response[415] = errorBody;
  }
  // A login session whose user must change their password is held to GET /api/me and PUT /api/me/password (src/http/auth.ts).
  const route = `${String((input.route as { method?: unknown }).method ?? '')} ${input.url}`;
  const passwordHold = config.public || OPEN_WHILE_PASSWORD_CHANGE_REQUIRED.includes(route) ? null : CLOSED_TO_TOKENS_WHILE_PASSWORD_CHANGE_REQUIRED.includes(route) ? 'session and token' : 'session';
  if ((config.minRole || passwordHold) && !response[403]) response[403] = errorBody;
  // Each error answer says which codes it carries (the bare error shape says only "Default Response").
  const forbidden = forbiddenSays(config.minRole, passwordHold);
  // A route may say more of an error than the shared sentences do (config.errorsSay, by status): the 403 of
  // a route without a role that still refuses other users' data, a 409 with one code of the three.
  const ownSays = Object.fromEntries(Object.entries(config.errorsSay ?? {}).map(([status, text]) => [status, status === '403' && forbidden ? `${text}; or ${forbidden}` : text]));
  const says: Record<string, string> = { ...ERROR_DESCRIPTIONS, ...(forbidden ? { 403: forbidden } : {}), ...ownSays };
  for (const [status, value] of Object.entries(response)) if (value === errorBody) response[status] = error(says[status] ?? 'An error, in the error shape');
  const description = config.minRole
    ? `${typeof schema.description === 'string' ? `${schema.description}\n\n` : ''}Needs the ${config.minRole} role or higher; a lower role gets 403 FORBIDDEN before the request is validated.`
    : schema.description;
  const out = jsonSchemaTransform({ ...input, schema: { ...schema, response, ...(description === undefined ? {} : { description }) } });
  const transformed = out.schema as Record<string, unknown> & { response?: Record<string, unknown> };
  if (consumes?.includes('text/csv') && schema.body === undefined) transformed.body = CSV_BODY;
  const produces = schema.produces as string[] | undefined;
  if (produces?.includes('text/csv') && transformed.response) {
    transformed.response['200'] = { description: 'The CSV file', content: { 'text/csv': { schema: CSV_FILE } } };
  }
  return out;
}
