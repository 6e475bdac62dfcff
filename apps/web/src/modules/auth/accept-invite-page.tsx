import { Alert, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { endpoints, nameSchema, passwordSchema } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { z } from 'zod';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { AuthForm, NewAccountPasswordInput } from './auth-form.tsx';
import { startSession } from './auth-queries.ts';
import { AuthLayout } from './auth-layout.tsx';
import { describeLinkProblem } from './link-errors.ts';

const acceptRoute = getRouteApi('/accept-invite');

function firstIssue(schema: z.ZodType, value: unknown): string | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'Invalid value');
}

/** `/accept-invite?token=…`: choose a password, activate the invited account and sign in. */
export function AcceptInvitePage() {
  const { token } = acceptRoute.useSearch();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [formError, setFormError] = useState<string | null>(null);
  const [linkProblem, setLinkProblem] = useState<string | null>(
    token ? null : 'This link is incomplete. Open it from the email again.',
  );
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { name: '', password: '' },
    validate: {
      name: (value) => (value.trim() === '' ? null : firstIssue(nameSchema, value)),
      password: (value) => firstIssue(passwordSchema, value),
    },
  });
  const accept = useMutation({
    mutationFn: (values: { name: string; password: string }) =>
      call(endpoints.acceptInvitation, {
        body: {
          token: token ?? '',
          password: values.password,
          ...(values.name.trim() ? { name: values.name } : {}),
        },
      }),
    onSuccess: async (me) => {
      startSession(queryClient, me);
      await navigate({ to: '/' });
    },
    onError: (error) => {
      const problem = describeLinkProblem(error);
      if (problem) setLinkProblem(problem);
      else setFormError(applyErrorToForm(form, error));
    },
  });
  const submitAccept = form.onSubmit((values) => {
    setFormError(null);
    accept.mutate(values);
  });

  return (
    <AuthLayout
      title="Accept your invitation"
      description="Choose a password to activate your Steward account."
    >
      {linkProblem ? (
        <Alert color="red" variant="light" role="alert" title="This invitation cannot be used">
          {linkProblem} Ask the person who invited you to send a new invitation.
        </Alert>
      ) : (
        <AuthForm
          onSubmit={submitAccept}
          error={formError}
          submitLabel="Activate account"
          isPending={accept.isPending}
        >
          <TextInput
            label="Your name"
            description="Leave empty to keep the name you were invited with."
            autoComplete="name"
            key={form.key('name')}
            {...form.getInputProps('name')}
          />
          <NewAccountPasswordInput key={form.key('password')} {...form.getInputProps('password')} />
        </AuthForm>
      )}
    </AuthLayout>
  );
}
