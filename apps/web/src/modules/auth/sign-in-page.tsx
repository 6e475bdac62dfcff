import { Anchor, PasswordInput, Text } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { endpoints, signInSchema } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate, useRouter } from '@tanstack/react-router';
import { useState } from 'react';
import type { z } from 'zod';
import { call, isApiErrorCode } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { PasskeySignInButton } from '../passkeys/passkey-sign-in-button.tsx';
import { SsoSignInButton } from '../org-security/sso-sign-in-button.tsx';
import { AuthForm, SignInEmailInput } from './auth-form.tsx';
import { startSession } from './auth-queries.ts';
import { AuthLayout } from './auth-layout.tsx';

type SignInValues = z.input<typeof signInSchema>;

const signInRoute = getRouteApi('/sign-in');

/** Email and password sign-in; returns to the page that asked for it. */
export function SignInPage() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const router = useRouter();
  const { redirect } = signInRoute.useSearch();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<SignInValues>({
    mode: 'uncontrolled',
    initialValues: { email: '', password: '' },
    validate: schemaResolver(signInSchema, { sync: true }),
  });

  const signIn = useMutation({
    mutationFn: (body: SignInValues) => call(endpoints.signIn, { body }),
    onSuccess: async (result) => {
      if ('status' in result) {
        await navigate({
          to: '/sign-in/mfa',
          search: { ...(redirect ? { redirect } : {}), methods: result.methods },
        });
        return;
      }
      const me = result;
      startSession(queryClient, me);
      if (redirect) {
        router.history.push(redirect);
        return;
      }
      await navigate({ to: '/' });
    },
    onError: (error) => {
      if (isApiErrorCode(error, 'auth.invalid_credentials')) {
        form.setFieldValue('password', '');
        setFormError('Email or password is wrong');
        return;
      }
      setFormError(applyErrorToForm(form, error));
    },
  });

  const submitSignIn = form.onSubmit((values) => {
    setFormError(null);
    signIn.mutate(values);
  });

  return (
    <AuthLayout title="Sign in" description="Sign in to your organisation's security program.">
      <AuthForm
        onSubmit={submitSignIn}
        error={formError}
        submitLabel="Sign in"
        isPending={signIn.isPending}
        footer={
          <>
            <PasskeySignInButton redirect={redirect} />
            <SsoSignInButton />
            <Text size="sm" ta="center">
              <Anchor component={Link} to="/forgot-password">
                Forgot password?
              </Anchor>
            </Text>
          </>
        }
      >
        <SignInEmailInput key={form.key('email')} {...form.getInputProps('email')} />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          key={form.key('password')}
          {...form.getInputProps('password')}
        />
      </AuthForm>
    </AuthLayout>
  );
}
