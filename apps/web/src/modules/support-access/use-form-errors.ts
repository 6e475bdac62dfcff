import { useState } from 'react';
import { describeError } from '../../lib/form-errors.ts';
import { fieldErrorsOf } from './support-access-queries.ts';

/** The API's errors for a form kept in state: per field, and above the form (always, or when no field has one). */
export function useFormErrors(summaryBesideFields: boolean) {
  const [formError, setFormError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const clearErrors = () => {
    setFormError(null);
    setFieldErrors({});
  };
  const showErrors = (error: unknown) => {
    const errors = fieldErrorsOf(error);
    setFieldErrors(errors);
    setFormError(
      summaryBesideFields || Object.keys(errors).length === 0 ? describeError(error) : null,
    );
  };
  return { formError, fieldErrors, clearErrors, showErrors };
}
