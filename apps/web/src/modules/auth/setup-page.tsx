import { TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { endpoints, setupSchema } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { z } from 'zod';
import { call, isApiErrorCode } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { AuthForm, NewAccountPasswordInput } from './auth-form.tsx';
import { setupStatusQuery, startSession } from './auth-queries.ts';
import { AuthLayout } from './auth-layout.tsx';

type SetupValues = z.input<typeof setupSchema>;

/** First run: create the organisation and its owner, who is then signed in. */
export function SetupPage() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<SetupValues>({
    mode: 'uncontrolled',
    initialValues: { orgName: '', name: '', email: '', password: '' },
    validate: schemaResolver(setupSchema, { sync: true }),
  });

  const setup = useMutation({
    mutationFn: (body: SetupValues) => call(endpoints.setup, { body }),
    onSuccess: async (me) => {
      startSession(queryClient, me);
      queryClient.setQueryData(setupStatusQuery.queryKey, { isSetUp: true });
      await navigate({ to: '/' });
    },
    onError: async (error) => {
      if (isApiErrorCode(error, 'setup.already_done')) {
        queryClient.setQueryData(setupStatusQuery.queryKey, { isSetUp: true });
        await navigate({ to: '/sign-in' });
        return;
      }
      setFormError(applyErrorToForm(form, error));
    },
  });

  const submitSetup = form.onSubmit((values) => {
    setFormError(null);
    setup.mutate(values);
  });

  return (
    <AuthLayout
      title="Create your organisation"
      description="Welcome to Steward. Name your organisation and create the owner account; you can add everyone else afterwards."
    >
      <AuthForm
        onSubmit={submitSetup}
        error={formError}
        submitLabel="Create organisation"
        isPending={setup.isPending}
      >
        <TextInput
          label="Organisation name"
          autoComplete="organization"
          required
          key={form.key('orgName')}
          {...form.getInputProps('orgName')}
        />
        <TextInput
          label="Your name"
          autoComplete="name"
          required
          key={form.key('name')}
          {...form.getInputProps('name')}
        />
        <TextInput
          label="Email"
          type="email"
          autoComplete="email"
          required
          key={form.key('email')}
          {...form.getInputProps('email')}
        />
        <NewAccountPasswordInput key={form.key('password')} {...form.getInputProps('password')} />
      </AuthForm>
    </AuthLayout>
  );
}
