import { meSchema, problemSchema } from '@steward/contracts';
import type { Endpoint, ResponseOf } from '@steward/contracts';
import type { z } from 'zod';

/** One field-level problem reported by the API, keyed by a dotted path such as `email`. */
export interface FieldError {
  path: string;
  message: string;
}

/** A failed API call, carrying the stable error `code` the UI branches on. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;
  readonly fieldErrors: readonly FieldError[];

  constructor(init: {
    status: number;
    code: string;
    title: string;
    detail?: string | undefined;
    requestId?: string | undefined;
    fieldErrors?: readonly FieldError[] | undefined;
  }) {
    super(init.detail ?? init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.fieldErrors = init.fieldErrors ?? [];
  }
}

/** Whether an unknown error is an `ApiError` with the given code. */
export function isApiErrorCode(error: unknown, code: string): error is ApiError {
  return error instanceof ApiError && error.code === code;
}

type ParamsPart<E> = E extends { params: z.ZodType }
  ? { params: z.input<E['params']> }
  : { params?: undefined };
type BodyPart<E> = E extends { body: z.ZodType }
  ? { body: z.input<E['body']> }
  : { body?: undefined };
type QueryPart<E> = E extends { query: z.ZodType }
  ? { query?: z.input<E['query']> }
  : { query?: undefined };

/** What `call` accepts besides the endpoint, derived from the endpoint's schemas. */
export type CallOptions<E extends Endpoint> = ParamsPart<E> &
  BodyPart<E> &
  QueryPart<E> & { signal?: AbortSignal | undefined };

type CallArgs<E extends Endpoint> = E extends { params: z.ZodType } | { body: z.ZodType }
  ? [options: CallOptions<E>]
  : [options?: CallOptions<E>];

// The server binds state-changing requests to the session with this token. It arrives with
// every identity response and lives in memory only, so it never outlives the page.
let csrfToken: string | null = null;

/** Forget the CSRF token, e.g. after signing out. */
export function clearCsrfToken(): void {
  csrfToken = null;
}

function buildPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z]+)/g, (_match, key: string) => {
    const value = params?.[key];
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new Error(`Missing path parameter ${key} for ${path}`);
    }
    return encodeURIComponent(String(value));
  });
}

function buildQueryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function readProblem(response: Response): Promise<ApiError> {
  const payload: unknown = await response.json().catch(() => null);
  const problem = problemSchema.safeParse(payload);
  if (problem.success) {
    return new ApiError({
      status: problem.data.status,
      code: problem.data.code,
      title: problem.data.title,
      detail: problem.data.detail,
      requestId: problem.data.requestId,
      fieldErrors: problem.data.errors,
    });
  }
  if (response.status === 413) {
    // A proxy in front of Steward may refuse a large upload before Steward sees it.
    return new ApiError({
      status: 413,
      code: 'request.too_large',
      title: 'The upload is too large',
    });
  }
  return new ApiError({
    status: response.status,
    code: response.status >= 500 ? 'internal' : 'request.invalid',
    title: response.statusText || 'The request failed',
  });
}

async function sendRequest(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({
      status: 0,
      code: 'service.unavailable',
      title: 'Steward cannot be reached. Check your connection and try again.',
    });
  }
}

async function parseResponse<E extends Endpoint>(
  endpoint: E,
  response: Response,
): Promise<ResponseOf<E>> {
  const payload: unknown = response.status === 204 ? undefined : await response.json();
  const parsed = endpoint.response.safeParse(payload);
  if (!parsed.success) {
    console.error(
      `${endpoint.method} ${endpoint.path} answered outside its contract`,
      parsed.error.issues,
    );
    throw new ApiError({
      status: response.status,
      code: 'internal',
      title: 'Steward sent a response this page does not understand. Reload and try again.',
    });
  }
  // Sign-in may answer with the identity or with a request for a second factor.
  const identity = meSchema.safeParse(parsed.data);
  if (identity.success) csrfToken = identity.data.csrfToken;
  return parsed.data as ResponseOf<E>;
}

/**
 * The address of a GET endpoint, for links the browser follows itself (CSV exports, file
 * downloads): the session cookie authenticates them like any other call.
 */
export function endpointUrl(
  endpoint: Endpoint & { method: 'GET' },
  options: {
    params?: Record<string, string | number>;
    query?: Record<string, string | number | boolean | undefined>;
  } = {},
): string {
  return buildPath(endpoint.path, options.params) + buildQueryString(options.query);
}

/** Call one endpoint of the catalogue; request and response types come from its schemas. */
export async function call<E extends Endpoint>(
  endpoint: E,
  ...[options]: CallArgs<E>
): Promise<ResponseOf<E>> {
  const opts = options as
    | {
        params?: Record<string, unknown>;
        query?: Record<string, unknown>;
        body?: unknown;
        signal?: AbortSignal;
      }
    | undefined;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts?.body !== undefined) headers['Content-Type'] = 'application/json';
  if (endpoint.method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  const url = buildPath(endpoint.path, opts?.params) + buildQueryString(opts?.query);
  const response = await sendRequest(url, {
    method: endpoint.method,
    headers,
    credentials: 'same-origin',
    body: opts?.body === undefined ? null : JSON.stringify(opts.body),
    signal: opts?.signal ?? null,
  });
  if (!response.ok) throw await readProblem(response);
  return parseResponse(endpoint, response);
}

/** A text field of a multipart request; lists repeat the field once per item. */
export type MultipartFieldValue = string | number | boolean | readonly string[] | null | undefined;

type MultipartEndpoint = Endpoint & { multipart: { files: readonly string[] }; body: z.ZodType };

/** What `callMultipart` sends: the endpoint's text fields and its named file parts. */
export interface MultipartOptions<E extends MultipartEndpoint> {
  params?: E extends { params: z.ZodType } ? z.input<E['params']> : undefined;
  fields: { [K in keyof z.input<E['body']>]?: MultipartFieldValue };
  files?: Partial<Record<E['multipart']['files'][number], File | null>>;
  signal?: AbortSignal | undefined;
}

function toFormData(
  fields: Record<string, MultipartFieldValue>,
  files: Record<string, File | null | undefined>,
): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null || value === '') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      form.append(name, String(value));
    } else {
      for (const item of value) form.append(name, item);
    }
  }
  // Files go last so the server has every text field before it streams the content.
  for (const [name, file] of Object.entries(files)) {
    if (file) form.append(name, file, file.name);
  }
  return form;
}

/**
 * Call a multipart endpoint (uploads): text fields and files travel as `multipart/form-data`,
 * with the same CSRF header, problem parsing and response validation as `call`.
 */
export async function callMultipart<E extends MultipartEndpoint>(
  endpoint: E,
  options: MultipartOptions<E>,
): Promise<ResponseOf<E>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const url = buildPath(endpoint.path, options.params);
  const response = await sendRequest(url, {
    method: endpoint.method,
    headers,
    credentials: 'same-origin',
    // The browser sets the multipart boundary itself when the body is FormData.
    body: toFormData(options.fields, options.files ?? {}),
    signal: options.signal ?? null,
  });
  if (!response.ok) throw await readProblem(response);
  return parseResponse(endpoint, response);
}
