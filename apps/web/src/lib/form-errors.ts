import type { ReactNode } from 'react';
import { ApiError } from './api-client.ts';

interface FormLike {
  getValues: () => object;
  setErrors: (errors: Record<string, ReactNode>) => void;
}

/** A sentence a person can act on, for any error thrown by a query or mutation. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.detail ?? error.title;
  return 'Something went wrong. Try again.';
}

/**
 * Show the API's field errors next to the matching inputs; returns the message to show
 * above the form, or null when every problem sits next to its field.
 */
export function applyErrorToForm(form: FormLike, error: unknown): string | null {
  if (!(error instanceof ApiError)) return describeError(error);
  const fieldNames = new Set(Object.keys(form.getValues()));
  const fieldErrors: Record<string, string> = {};
  const otherMessages: string[] = [];
  for (const fieldError of error.fieldErrors) {
    if (fieldNames.has(fieldError.path)) {
      fieldErrors[fieldError.path] ??= fieldError.message;
    } else {
      otherMessages.push(fieldError.message);
    }
  }
  form.setErrors(fieldErrors);
  if (otherMessages.length > 0) return otherMessages.join(' ');
  if (Object.keys(fieldErrors).length > 0) return null;
  return describeError(error);
}
