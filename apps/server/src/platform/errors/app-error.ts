import { errorCodes, type ErrorCode } from '@steward/contracts';

/** A field-level problem in a request. */
export interface FieldError {
  path: string;
  message: string;
}

/** The one error type of Steward: a stable code, its HTTP status, and a message a person can act on. */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly fieldErrors?: FieldError[],
  ) {
    super(detail ?? errorCodes[code].title);
    this.status = errorCodes[code].status;
  }
}

/** Whether a value is an AppError. */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** An AppError that tells the client when to try again (sent as `Retry-After`). */
export class RetryLaterError extends AppError {
  constructor(
    code: ErrorCode,
    readonly retryAfterSeconds: number,
    detail?: string,
  ) {
    super(code, detail);
  }
}
