import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { endpoints, passwordResetMinutes, passwordResetRequestSchema } from '@steward/contracts';
import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import type { z } from 'zod';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { AuthForm, SignInEmailInput } from './auth-form.tsx';
import { AuthLayout } from './auth-layout.tsx';

type ForgotValues = z.input<typeof passwordResetRequestSchema>;

/** `/forgot-password`: ask for a reset link by email; the answer never says whether the account exists. */
export function ForgotPasswordPage() {
  const [formError, setFormError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm<ForgotValues>({
    mode: 'uncontrolled',
    initialValues: { email: '' },
    validate: schemaResolver(passwordResetRequestSchema, { sync: true }),
  });
  const request = useMutation({
    mutationFn: (body: ForgotValues) => call(endpoints.requestPasswordReset, { body }),
    onSuccess: (_result, body) => setSentTo(body.email),
    onError: (error) => setFormError(applyErrorToForm(form, error)),
  });
  const submitRequest = form.onSubmit((values) => {
    setFormError(null);
    request.mutate(values);
  });

  return (
    <AuthLayout
      title="Reset your password"
      description="Enter the email you sign in with and we will send you a link to choose a new password."
    >
      {sentTo ? (
        <Stack>
          <Alert color="green" variant="light" role="status" title="Check your email">
            If {sentTo} belongs to an account, a reset link is on its way. It works once and expires
            in {passwordResetMinutes} minutes.
          </Alert>
          <Anchor component={Link} to="/sign-in">
            Back to sign-in
          </Anchor>
        </Stack>
      ) : (
        <AuthForm
          onSubmit={submitRequest}
          error={formError}
          submitLabel="Send reset link"
          isPending={request.isPending}
          footer={
            <Text size="sm" ta="center">
              <Anchor component={Link} to="/sign-in">
                Back to sign-in
              </Anchor>
            </Text>
          }
        >
          <SignInEmailInput key={form.key('email')} {...form.getInputProps('email')} />
        </AuthForm>
      )}
    </AuthLayout>
  );
}
