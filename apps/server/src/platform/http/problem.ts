import { errorCodes, type ErrorCode, type Problem } from '@steward/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isAppError, type FieldError } from '../errors/app-error.ts';

/** Build an RFC 9457 problem body for a code. */
export function problemFor(
  code: ErrorCode,
  request: FastifyRequest,
  detail?: string,
  errors?: FieldError[],
): Problem {
  const { status, title } = errorCodes[code];
  return {
    type: `https://steward.dev/problems/${code}`,
    title,
    status,
    code,
    instance: request.url.split('?')[0] ?? request.url,
    requestId: request.id,
    ...(detail !== undefined && detail !== title ? { detail } : {}),
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** Send a problem response. */
export function sendProblem(
  reply: FastifyReply,
  code: ErrorCode,
  detail?: string,
  errors?: FieldError[],
): FastifyReply {
  const body = problemFor(code, reply.request, detail, errors);
  return reply.status(body.status).type('application/problem+json').send(body);
}

function describeIssue(issue: {
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}) {
  if (issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params.keys)) {
    return `Unknown field${issue.params.keys.length > 1 ? 's' : ''}: ${issue.params.keys.join(', ')}`;
  }
  return issue.message ?? 'Invalid value';
}

function fieldPath(context: string | undefined, instancePath: string): string {
  const inner = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const prefix = context === 'body' || context === undefined ? '' : `${context}.`;
  return inner === '' ? (prefix === '' ? '(body)' : prefix.slice(0, -1)) : `${prefix}${inner}`;
}

/** Translate any error thrown while handling a request into a problem code, detail and fields. */
export function classifyError(error: FastifyError | Error): {
  code: ErrorCode;
  detail?: string;
  errors?: FieldError[];
} {
  if (isAppError(error)) {
    return {
      code: error.code,
      detail: error.message,
      ...(error.fieldErrors ? { errors: error.fieldErrors } : {}),
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext;
    const errors = error.validation.map((issue) => ({
      path: fieldPath(context, issue.instancePath),
      message: describeIssue(
        issue as unknown as { keyword: string; message?: string; params: Record<string, unknown> },
      ),
    }));
    const summary = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    return { code: 'request.invalid', detail: summary, errors };
  }
  const fastifyCode = (error as FastifyError).code;
  switch (fastifyCode) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'request.malformed_json', detail: 'The request body is not valid JSON' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        code: 'request.malformed_json',
        detail: 'The request body is empty; send a JSON object',
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return {
        code: 'request.unsupported_media_type',
        detail: 'Send the body as application/json',
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'request.too_large' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'request.invalid', detail: 'Content-Length does not match the body' };
    default:
      break;
  }
  const status = (error as FastifyError).statusCode;
  if (status === 429) return { code: 'request.rate_limited', detail: error.message };
  if (error instanceof SyntaxError && status === 400) {
    return { code: 'request.malformed_json', detail: 'The request body is not valid JSON' };
  }
  if (status === 415) return { code: 'request.unsupported_media_type' };
  if (status === 413) return { code: 'request.too_large' };
  if (status !== undefined && status >= 400 && status < 500) {
    return { code: 'request.invalid', detail: error.message };
  }
  return { code: 'internal' };
}
