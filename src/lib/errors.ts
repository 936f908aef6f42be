/**
 * The one error catalogue. Every error a user can see carries a stable code,
 * a message they can act on, and the HTTP status it maps to. Only the CLI's
 * `main` and the HTTP error handler render these.
 */
export const ERROR_CATALOGUE = {
  BAD_ARGUMENTS: 400,
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  UNKNOWN_CODE: 400,
  RULE_VIOLATION: 422,
  CSV_INVALID: 422,
  /** A bulk change would take Duplicate/Invalid customers out of it without `restoreDuplicateInvalid: true`. */
  RESTORE_NOT_CONFIRMED: 422,
  PLAYBOOK_INVALID: 422,
  FILE_NOT_FOUND: 404,
  NOT_FOUND: 404,
  /** A known path asked with a method it does not take (details: method, allow; the `Allow` header lists them). */
  METHOD_NOT_ALLOWED: 405,
  UNAUTHENTICATED: 401,
  ACCOUNT_DISABLED: 401,
  /** The request's `X-Unblock-User` names another user than its credential's: another tab signed in meanwhile (src/http/auth.ts). */
  SESSION_CHANGED: 401,
  FORBIDDEN: 403,
  /** A login session whose user must first change a password a manager or admin chose (src/http/auth.ts). */
  PASSWORD_CHANGE_REQUIRED: 403,
  CONFLICT: 409,
  /** One of the user's active API tokens already has the name asked for (details: field, reason, tokenId). */
  TOKEN_NAME_TAKEN: 409,
  VERSION_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  CONFIG_INVALID: 500,
  MIGRATION_FAILED: 500,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** An error meant for a user: stable `code`, actionable `message`, optional structured `details`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code];
    this.details = details;
  }
}

/** True when `value` is an {@link AppError}; never throws. */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
