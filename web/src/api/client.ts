/**
 * The one place the web app talks to the server. Every request goes through `request()`,
 * which sends the session cookie and turns `{"error": {...}}` bodies into {@link ApiError}.
 * Types come from the server's own modules (type-only imports): the classifier, note coach, taxonomy and
 * playbook types as the API returns them; tracker-backed shapes are written here until src/http/schemas exist.
 */

import type { Classification, CreatedToken, CreatedUser, CustomerChanges, DeletedCustomer, Entitlement, NewCustomer, History, ImportSummary, NewToken, NewUser, NoteGrade, Paged, Partner, PlaybookPage, Customer, RuleIssue, StatusFields, StatusUpdateResult, Taxonomy, Token, User, Workload, Me, Id, Role } from './types.js';

export * from './types.js';

export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/** An error response from the API (or a network failure, code NETWORK). */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.details = body.details;
  }
}

type Query = Record<string, string | number | boolean | null | undefined | string[]>;

/** `?a=1&b=2` from a record; empty, null and undefined values are dropped; arrays repeat the key. */
export function toQueryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, v));
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Dispatched on `window` when the API answers 401 outside sign-in: the session has ended. */
export const UNAUTHENTICATED_EVENT = 'unblock:unauthenticated';

/**
 * Dispatched on `window` when the API answers 403 PASSWORD_CHANGE_REQUIRED: the session is one whose user
 * must first choose their own password (signed in, say, in another tab of this browser with a password a
 * manager set), so the app shows that page instead of the raw refusal.
 */
export const PASSWORD_CHANGE_REQUIRED_EVENT = 'unblock:password-change-required';

/** What a request refused until the user chooses their own password says (read on the page kept meanwhile). */
export const PASSWORD_FIRST_MESSAGE = 'This was not done: your password had to be changed first. Now that it is your own, do it once more.';

/**
 * Dispatched on `window` when the API answers 401 SESSION_CHANGED: the browser's session cookie is now
 * another user's than the one this tab acts as (another tab signed in as someone else, and this tab had
 * not heard of it yet), so the server did nothing. The app stops the tab as when it learns that from the
 * other tab (see App).
 */
export const SESSION_CHANGED_EVENT = 'unblock:session-changed';

/**
 * Dispatched on `window` when the API answers 403 FORBIDDEN: the user's role may have been lowered
 * since the app read it (a manager made an editor a viewer), so the app reads the user again and the
 * header and the pages show the role the server now holds.
 */
export const FORBIDDEN_EVENT = 'unblock:forbidden';

/** What a request refused because another user's session had replaced this tab's says. */
export const SESSION_CHANGED_MESSAGE = 'This was not done: someone signed in as another user in this browser meanwhile. Once you have signed in again as yourself, do it once more.';

/** What a request refused because the session had ended says (the app then asks to sign in again). */
export const SESSION_ENDED_MESSAGE = 'Your session had ended, so this was not done. Once you have signed in again, try it once more.';

/** Page size the portfolio asks for; the server's maximum page size must be at least this. */
export const PAGE_SIZE = 500;
/** How many pages the portfolio fetches at once. */
const PARALLEL_PAGES = 2;
/** The most rows a streamed list loads into the browser; past it the page asks to narrow the filters. */
export const MAX_STREAMED_ROWS = 25_000;
/** Names of the pagination query parameters and the number of the first page. */
const PAGE_PARAMS = { page: 'page', size: 'pageSize', first: 1 } as const;

/**
 * The header naming the user this tab acts as, sent on every API call (see {@link setActingUser}): the
 * tabs of a browser share one session cookie, and the server refuses a request whose cookie is another
 * user's (401 SESSION_CHANGED) rather than act as someone this tab never showed.
 */
const ACTING_USER_HEADER = 'X-Unblock-User';

/** The id of the user this tab shows as signed in; undefined while nobody is (signing in, signed out). */
let actingUser: Id | undefined;

/**
 * Sets the user the requests from now on say they act as (undefined: none, as while signing in). The app
 * calls it as soon as it knows who is signed in, before the pages of that user send anything.
 */
export function setActingUser(id: Id | null | undefined): void {
  actingUser = id ?? undefined;
}

/** The headers of a request: JSON, and the acting user unless `anyUser` (the read of who just signed in). */
function requestHeaders(json: boolean, anyUser = false): Record<string, string> {
  const headers: Record<string, string> = json ? { accept: 'application/json', 'content-type': 'application/json' } : { accept: 'application/json' };
  if (actingUser !== undefined && !anyUser) headers[ACTING_USER_HEADER] = String(actingUser);
  return headers;
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal, options: { anyUser?: boolean } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: requestHeaders(body !== undefined, options.anyUser),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, { code: 'NETWORK', message: 'The server could not be reached. Check that it is running and try again.' });
  }
  const text = await response.text();
  if (!response.ok) throw toApiError(response.status, response.statusText, text, path);
  return parseBody(text) as T;
}

/** A response body as JSON; undefined when it is empty or not JSON. */
function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The error of a failed response: its `{"error": {...}}` body, or one naming the HTTP status. */
function toApiError(status: number, statusText: string, text: string, path: string): ApiError {
  const err = (parseBody(text) as { error?: ApiErrorBody } | undefined)?.error;
  if (status === 401 && err?.code === 'SESSION_CHANGED') {
    window.dispatchEvent(new Event(SESSION_CHANGED_EVENT));
    return new ApiError(status, { code: err.code, message: SESSION_CHANGED_MESSAGE });
  }
  if (status === 401 && !path.startsWith('/api/auth/')) {
    window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
    // The app asks to sign in again over the page; what the page then shows of this refusal should say
    // what happened to the action (the server's words are for API clients: "send an API token").
    return new ApiError(status, { code: err?.code ?? 'UNAUTHENTICATED', message: SESSION_ENDED_MESSAGE });
  }
  if (status === 403 && err?.code === 'PASSWORD_CHANGE_REQUIRED') {
    window.dispatchEvent(new Event(PASSWORD_CHANGE_REQUIRED_EVENT));
    // The app asks for the user's own password over the page, which it keeps: what that page then shows
    // of this refusal is read once the password is chosen (the server's words name the API route).
    return new ApiError(status, { code: err.code, message: PASSWORD_FIRST_MESSAGE });
  }
  if (status === 403 && err?.code === 'FORBIDDEN') window.dispatchEvent(new Event(FORBIDDEN_EVENT));
  return new ApiError(status, err ?? { code: `HTTP_${status}`, message: `The server answered ${status} ${statusText}.` });
}

/** How far an upload is: bytes sent of the file's size; `sent === total` once the server has it all. */
export interface UploadProgress {
  sent: number;
  total: number;
}

/**
 * Sends `file` as the body of a POST with `Content-Type: text/csv` (XMLHttpRequest, as fetch reports
 * no upload progress), calling `onProgress` while it goes. Errors as {@link request}'s.
 */
function uploadCsv<T>(path: string, file: Blob, onProgress?: (progress: UploadProgress) => void, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    for (const [name, value] of Object.entries(requestHeaders(false))) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.upload.onprogress = (event) => onProgress?.({ sent: event.loaded, total: event.lengthComputable ? event.total : file.size });
    xhr.upload.onload = () => onProgress?.({ sent: file.size, total: file.size });
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as T);
        } catch {
          reject(new ApiError(xhr.status, { code: 'BAD_RESPONSE', message: 'The server’s answer could not be read.' }));
        }
      } else {
        reject(toApiError(xhr.status, xhr.statusText, xhr.responseText, path));
      }
    };
    xhr.onerror = () =>
      reject(new ApiError(0, { code: 'NETWORK', message: 'The upload stopped before the server answered. Check that the server is running; a very large file may also be refused while it is sent.' }));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/** Fills the optional parts of a classification (a classifier without explanations leaves them out). */
function normalizeClassification(value: Partial<Classification>): Classification {
  const explanation = value.explanation ?? { terms: [], nearestExamples: [], definitionSentence: null };
  return {
    text: value.text ?? '',
    l1: value.l1 ?? null,
    l2: value.l2 ?? null,
    code: value.code ?? null,
    confidence: value.confidence ?? 0,
    l1Confidence: value.l1Confidence ?? value.confidence ?? 0,
    alternatives: value.alternatives ?? [],
    abstained: value.abstained ?? value.code == null,
    reason: value.reason ?? null,
    questions: value.questions ?? [],
    explanation: {
      ...explanation,
      terms: explanation.terms ?? [],
      nearestExamples: explanation.nearestExamples ?? [],
      definitionSentence: explanation.definitionSentence ?? null,
    },
    warnings: value.warnings ?? [],
  };
}

/** Fills the optional parts of a grade (spans, fixes and the template may be absent). */
function normalizeGrade(value: Partial<NoteGrade>): NoteGrade {
  return {
    grade: value.grade ?? 'poor',
    score: value.score ?? 0,
    findings: (value.findings ?? []).map((f) => ({ ...f, severity: f.severity ?? 'warning', span: f.span ?? null, fix: f.fix ?? '' })),
    template: value.template ?? '',
    templateSource: value.templateSource ?? 'generic',
    l1: value.l1 ?? null,
  };
}

/** Accepts `{items,total}`, `{data,total}` or a bare array, so list endpoints can evolve without breaking pages. */
function toPaged<T>(value: unknown, key = 'items'): Paged<T> {
  if (Array.isArray(value)) return { items: value as T[], total: value.length };
  const record = (value ?? {}) as Record<string, unknown>;
  const items = (record[key] ?? record.items ?? record.data ?? []) as T[];
  const total = typeof record.total === 'number' ? record.total : items.length;
  return { items, total };
}

export const api = {
  getHealth: () => request<{ status: string }>('GET', '/api/health'),
  login: (email: string, password: string) => request<unknown>('POST', '/api/auth/login', { email, password }),
  logout: () => request<unknown>('POST', '/api/auth/logout', {}),
  /**
   * Who is signed in. `anyUser`: whoever the session is (right after signing in, before the app acts as
   * them); else the request names the user the tab acts as, and another user's session is refused.
   */
  getMe: async (options: { anyUser?: boolean } = {}): Promise<Me> => {
    const value = await request<{ user: Me } | Me>('GET', '/api/me', undefined, undefined, options);
    return 'user' in value ? value.user : value;
  },
  listPartners: async () => toPaged<Partner>(await request('GET', '/api/partners')),
  /** Creates a partner organisation (admins only). 409 CONFLICT: a partner has that name already. */
  createPartner: (name: string) => request<Partner>('POST', '/api/partners', { name }),
  listWorkloads: async (): Promise<Workload[]> => toPaged<Workload>(await request('GET', '/api/workloads')).items,
  listUsers: async () => toPaged<User>(await request('GET', '/api/users')),
  /** Creates a user; without `password` the server generates one and returns it once, as `password`. */
  createUser: (input: NewUser) => request<CreatedUser>('POST', '/api/users', input),
  /** Changes a user's role or disables / enables them (`PATCH /api/users/:id`; managers: their partner's users, never an admin role). */
  updateUser: (id: Id, changes: { role?: Role; disabled?: boolean }) => request<User>('PATCH', `/api/users/${encodeURIComponent(String(id))}`, changes),
  /** Sets another user's password (managers: their partner's users) and ends that user's sessions. */
  setUserPassword: (id: Id, password: string) => request<null>('PUT', `/api/users/${encodeURIComponent(String(id))}/password`, { password }),
  /** Changes your own password; 403 FORBIDDEN when `currentPassword` is wrong, 429 RATE_LIMITED after many wrong ones. */
  changeMyPassword: (currentPassword: string, newPassword: string) => request<null>('PUT', '/api/me/password', { currentPassword, newPassword }),
  listCustomers: async (query?: Query) => toPaged<Customer>(await request('GET', `/api/customers${toQueryString(query)}`)),
  /** The customer and all its entitlements (every workload and split part). */
  getCustomer: async (id: Id, signal?: AbortSignal) => {
    const [customer, entitlements] = await Promise.all([
      request<Customer>('GET', `/api/customers/${encodeURIComponent(String(id))}`, undefined, signal),
      api.listAllEntitlements({ customerId: id, sort: 'workload' }, signal),
    ]);
    return { customer, entitlements: entitlements.items };
  },
  /** Creates a customer with an entitlement per workload (managers: in their partner; admins name `partnerId`). 409 CONFLICT: the tenant id is taken. */
  createCustomer: (input: NewCustomer) => request<Customer>('POST', '/api/customers', input),
  /** Changes a customer's name, tenant id, managed flag or region (only the fields sent). 409 CONFLICT: the tenant id is taken. */
  updateCustomer: (id: Id, changes: CustomerChanges) => request<Customer>('PATCH', `/api/customers/${encodeURIComponent(String(id))}`, changes),
  /** Adds an entitlement (or, with `part`, a split part of one) to a customer. 409 CONFLICT: it has that one already. */
  addEntitlement: (customerId: Id, input: { workload: string; part?: string }) => request<Entitlement>('POST', `/api/customers/${encodeURIComponent(String(customerId))}/entitlements`, input),
  /** Deletes a customer never worked on, with `reason` for the audit log. 409 CONFLICT: it has status changes (mark it Duplicate/Invalid instead). */
  deleteCustomer: (id: Id, reason: string) => request<DeletedCustomer>('DELETE', `/api/customers/${encodeURIComponent(String(id))}${toQueryString({ reason })}`),
  /** Sets Duplicate/Invalid on every entitlement of the customer in one change, with `note` as the reason. */
  markCustomerDuplicateInvalid: (id: Id, note: string) => request<unknown>('POST', `/api/customers/${encodeURIComponent(String(id))}/duplicate-invalid`, { note }),
  listEntitlements: async (query: Query, signal?: AbortSignal) =>
    toPaged<Entitlement>(await request('GET', `/api/entitlements${toQueryString(query)}`, undefined, signal)),
  /**
   * Every entitlement matching `query` (at most {@link MAX_STREAMED_ROWS}), page by page in order: `onPage`
   * gets everything loaded so far and the server's total after each page (the first page arrives alone,
   * so a list can show it at once).
   */
  streamEntitlements: async (query: Query, onPage: (items: Entitlement[], total: number) => void, signal?: AbortSignal): Promise<Paged<Entitlement>> => {
    const first = await api.listEntitlements({ ...query, [PAGE_PARAMS.size]: PAGE_SIZE, [PAGE_PARAMS.page]: PAGE_PARAMS.first }, signal);
    const items = [...first.items];
    onPage(items, first.total);
    const pages = Math.ceil(Math.min(first.total, MAX_STREAMED_ROWS) / PAGE_SIZE);
    for (let start = 1; start < pages && first.items.length > 0; start += PARALLEL_PAGES) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(PARALLEL_PAGES, pages - start) }, (_, i) =>
          api.listEntitlements({ ...query, [PAGE_PARAMS.size]: PAGE_SIZE, [PAGE_PARAMS.page]: PAGE_PARAMS.first + start + i }, signal),
        ),
      );
      for (const page of batch) items.push(...page.items);
      onPage(items, first.total);
    }
    return { items, total: first.total };
  },
  /** Every entitlement matching `query` (all pages). */
  listAllEntitlements: (query: Query, signal?: AbortSignal) => api.streamEntitlements(query, () => undefined, signal),
  getEntitlement: (id: Id) => request<Entitlement>('GET', `/api/entitlements/${encodeURIComponent(String(id))}`),
  updateStatus: (id: Id, version: number, fields: Partial<StatusFields>) =>
    request<StatusUpdateResult>('PUT', `/api/entitlements/${encodeURIComponent(String(id))}/status`, { version, ...fields }),
  /**
   * All-or-nothing: every item carries the version read; the same change is made on each (omitted fields
   * keep their value). `restoreDuplicateInvalid` confirms that the change takes Duplicate/Invalid customers
   * out of Duplicate/Invalid (without it the server refuses such a change with 422 RESTORE_NOT_CONFIRMED).
   * `results` are each entitlement's result, in the order of `items`.
   */
  bulkStatus: async (items: { id: Id; version: number }[], status: Partial<StatusFields>, options: { restoreDuplicateInvalid?: boolean } = {}) => {
    const value = await request<{ items?: StatusUpdateResult[] } | StatusUpdateResult[]>('POST', '/api/entitlements/bulk-status', {
      items: items.map((item) => ({ ...status, id: item.id, version: item.version })),
      ...(options.restoreDuplicateInvalid ? { restoreDuplicateInvalid: true } : {}),
    });
    const results = Array.isArray(value) ? value : (value.items ?? []);
    return { updated: results.length, warnings: results.flatMap((r) => r.warnings ?? []), results };
  },
  /** The history, newest first (the API lists it oldest first). */
  listHistory: async (id: Id) => {
    const page = toPaged<History>(await request('GET', `/api/entitlements/${encodeURIComponent(String(id))}/history`));
    return { ...page, items: [...page.items].sort((a, b) => b.changedAt.localeCompare(a.changedAt) || b.id - a.id) };
  },
  getTaxonomy: () => request<Taxonomy>('GET', '/api/taxonomy'),
  /**
   * The playbook's pages (examples, questions, lint problems), or undefined when this server has no
   * /api/playbook route (checked in its OpenAPI document first, so no failing request is made).
   */
  getPlaybook: async (): Promise<(Paged<PlaybookPage> & { problems: PlaybookPage['problems'] }) | undefined> => {
    const openapi = await request<{ paths?: Record<string, unknown> }>('GET', '/api/openapi.json');
    if (!openapi.paths || !('/api/playbook' in openapi.paths)) return undefined;
    const body = await request<{ problems?: unknown }>('GET', '/api/playbook');
    // Every problem of the playbook: each page's own, and those across pages (two pages for one code, a
    // name two codes claim, stored entitlements on a code the pages no longer define).
    return { ...toPaged<PlaybookPage>(body, 'pages'), problems: Array.isArray(body.problems) ? (body.problems as PlaybookPage['problems']) : [] };
  },
  classify: async (text: string, signal?: AbortSignal) => normalizeClassification(await request<Partial<Classification>>('POST', '/api/classify', { text, top: 5 }, signal)),
  /** Grades a note for a status; with `workload` (slug or name) the template and fixes name it instead of `{workload}`. */
  gradeNote: async (text: string, l1: string | null, l2: string | null, signal?: AbortSignal, workload?: string | null) =>
    normalizeGrade(await request<Partial<NoteGrade>>('POST', '/api/notes/grade', { text, l1, l2, ...(workload ? { workload } : {}) }, signal)),
  /**
   * Imports a CSV file of entitlements, all or nothing. `advise: false` skips grading notes and checking
   * codes. Refusals: 422 CSV_INVALID (details: a row report), 409 VERSION_CONFLICT (details: the rows
   * whose entitlements changed meanwhile), 413 for a file over the server's limit, 415.
   * `restoreDuplicateInvalid` lets the file take Duplicate/Invalid customers out of it (else such rows are
   * refused with RESTORE_NOT_CONFIRMED). `dryRun` only checks the file: the same answer (refusal, or counts
   * and warnings with `dryRun: true`) and nothing written. `ignoreIds` leaves the file's id and version columns
   * unread (a file exported from another database, whose ids name other entitlements or none here).
   */
  importEntitlements: (
    file: Blob,
    options: { advise: boolean; restoreDuplicateInvalid?: boolean; dryRun?: boolean; ignoreIds?: boolean },
    onProgress?: (progress: UploadProgress) => void,
    signal?: AbortSignal,
  ) => {
    const query = new URLSearchParams();
    if (!options.advise) query.set('advise', 'false');
    if (options.restoreDuplicateInvalid) query.set('restoreDuplicateInvalid', 'true');
    if (options.dryRun) query.set('dryRun', 'true');
    if (options.ignoreIds) query.set('ignoreIds', 'true');
    const search = query.toString();
    return uploadCsv<ImportSummary>(`/api/import/entitlements${search ? `?${search}` : ''}`, file, onProgress, signal);
  },
  /** Your API tokens (admins: everyone's), newest first; never the secrets. */
  listTokens: async () => toPaged<Token>(await request('GET', '/api/tokens')),
  /** Issues a token; the secret (`token`) is in this answer only. `expiresInDays: null` never expires. */
  createToken: (input: NewToken) => request<CreatedToken>('POST', '/api/tokens', input),
  /** Revokes a token at once; returns it with `revokedAt` set. */
  revokeToken: (id: Id) => request<Token>('DELETE', `/api/tokens/${encodeURIComponent(String(id))}`),
  /** A report by its path under /api/reports (`counts`, `ageing`, `forecast`, `note-quality`, `flow`). */
  getReport: <T>(name: string, query?: Query, signal?: AbortSignal) => request<T>('GET', `/api/reports/${name}${toQueryString(query)}`, undefined, signal),
};

/**
 * URL of the CSV export of the entitlements matching `query` (same filters as the list), naming the user
 * this tab acts as in `user` (see {@link setActingUser}): the link's address may be fetched without the
 * app ("Save link as", a new tab), with the browser's cookie and none of its headers, and the server
 * refuses it (401 SESSION_CHANGED) once that cookie is another user's.
 */
export function getExportUrl(query: Query): string {
  return `/api/export/entitlements.csv${toQueryString({ ...query, user: actingUser })}`;
}

/** A file the server sent: its content and the `Content-Disposition` header that names it (null when none). */
export interface FetchedFile {
  blob: Blob;
  disposition: string | null;
}

/**
 * Fetches the file at `path` (an export) as a request of this tab, naming its user as every API call
 * does, rather than by following a link, which cannot carry that header. Refusals as {@link request}'s
 * (401 SESSION_CHANGED shows "Your session has ended" at once); a file cut off on its way (the server
 * failed after it began to send) is refused too, rather than saved short.
 */
export async function fetchFile(path: string, signal?: AbortSignal): Promise<FetchedFile> {
  let response: Response;
  try {
    response = await fetch(path, { method: 'GET', credentials: 'same-origin', headers: { ...requestHeaders(false), accept: 'text/csv, application/json' }, signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, { code: 'NETWORK', message: 'The server could not be reached. Check that it is running and try again.' });
  }
  if (!response.ok) throw toApiError(response.status, response.statusText, await response.text().catch(() => ''), path);
  try {
    return { blob: await response.blob(), disposition: response.headers.get('content-disposition') };
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, { code: 'INCOMPLETE', message: 'The file stopped before all of it arrived, so nothing was saved. Try again.' });
  }
}

/**
 * The rule violations in an error's details: `{violations}` for one change, `{items: [{id, violations}]}`
 * for a bulk change (each message then names the entitlement), `{conflicts}` for stale bulk items.
 */
export function readViolations(error: unknown, describe: (id: Id) => string = (id) => `Entitlement ${id}`): RuleIssue[] {
  if (!(error instanceof ApiError) || !error.details || typeof error.details !== 'object') return [];
  const details = error.details as {
    violations?: RuleIssue[];
    items?: { id: Id; violations?: RuleIssue[] }[];
    conflicts?: { id: Id }[];
  };
  if (Array.isArray(details.violations)) return details.violations;
  if (Array.isArray(details.items))
    return details.items.flatMap((item) => (item.violations ?? []).map((v) => ({ ...v, message: `${describe(item.id)}: ${v.message}` })));
  if (Array.isArray(details.conflicts))
    return details.conflicts.map((c) => ({ rule: 'VERSION_CONFLICT', message: `${describe(c.id)} changed since you loaded it; reload the portfolio.` }));
  return [];
}

/** The current entitlement carried by a VERSION_CONFLICT error (`details.current`), if any. */
export function readConflictCurrent(error: unknown): Entitlement | undefined {
  if (!(error instanceof ApiError) || !error.details || typeof error.details !== 'object') return undefined;
  const current = (error.details as { current?: Entitlement }).current;
  return current && typeof current === 'object' ? current : undefined;
}
