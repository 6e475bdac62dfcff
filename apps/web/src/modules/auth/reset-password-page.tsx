import { Alert, Anchor, Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { endpoints, passwordLimits, passwordSchema } from '@steward/contracts';
import { useMutation } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { AuthForm } from './auth-form.tsx';
import { AuthLayout } from './auth-layout.tsx';
import { describeLinkProblem } from './link-errors.ts';

const resetRoute = getRouteApi('/reset-password');

/** `/reset-password?token=…`: choose a new password with the emailed link. */
export function ResetPasswordPage() {
  const { token } = resetRoute.useSearch();
  const [formError, setFormError] = useState<string | null>(null);
  const [linkProblem, setLinkProblem] = useState<string | null>(
    token ? null : 'This link is incomplete. Open it from the email again.',
  );
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { password: '' },
    validate: {
      password: (value) => {
        const parsed = passwordSchema.safeParse(value);
        return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'Invalid password');
      },
    },
  });
  const confirm = useMutation({
    mutationFn: (password: string) =>
      call(endpoints.confirmPasswordReset, { body: { token: token ?? '', password } }),
    onError: (error) => {
      const problem = describeLinkProblem(error);
      if (problem) setLinkProblem(problem);
      else setFormError(applyErrorToForm(form, error));
    },
  });
  const submitPassword = form.onSubmit(({ password }) => {
    setFormError(null);
    confirm.mutate(password);
  });

  let content;
  if (confirm.isSuccess) {
    content = (
      <Stack>
        <Alert color="green" variant="light" role="status" title="Password changed">
          Your password is changed and you are signed out everywhere.
        </Alert>
        <Button component={Link} to="/sign-in">
          Sign in
        </Button>
      </Stack>
    );
  } else if (linkProblem) {
    content = (
      <Stack>
        <Alert color="red" variant="light" role="alert" title="This link cannot be used">
          {linkProblem} Ask for a new one.
        </Alert>
        <Anchor component={Link} to="/forgot-password">
          Send me a new link
        </Anchor>
      </Stack>
    );
  } else {
    content = (
      <AuthForm
        onSubmit={submitPassword}
        error={formError}
        submitLabel="Set new password"
        isPending={confirm.isPending}
      >
        <PasswordInput
          label="New password"
          description={`At least ${passwordLimits.min} characters. Saving it signs you out everywhere.`}
          autoComplete="new-password"
          required
          key={form.key('password')}
          {...form.getInputProps('password')}
        />
      </AuthForm>
    );
  }

  return (
    <AuthLayout
      title="Choose a new password"
      description="Choose the password you will sign in with."
    >
      {content}
    </AuthLayout>
  );
}
