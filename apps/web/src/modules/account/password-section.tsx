import { Button, Group, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { endpoints, passwordLimits, passwordSchema } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormAlert } from '../../components/form-alert.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { sessionsQuery } from './account-queries.ts';

const initialValues = { currentPassword: '', newPassword: '', confirmPassword: '' };

function signedOutMessage(count: number): string {
  if (count === 0) return 'Your password is changed.';
  return `Your password is changed. ${count} other ${count === 1 ? 'session was' : 'sessions were'} signed out.`;
}

/** The security page's password section: change your password with the current one. */
export function PasswordSection() {
  const [formError, setFormError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues,
    validate: {
      currentPassword: (value) => (value ? null : 'Enter your current password'),
      newPassword: (value) => {
        const parsed = passwordSchema.safeParse(value);
        return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'Invalid password');
      },
      confirmPassword: (value, values) =>
        value === values.newPassword ? null : 'The passwords do not match',
    },
  });
  const change = useMutation({
    mutationFn: (values: typeof initialValues) =>
      call(endpoints.changePassword, {
        body: { currentPassword: values.currentPassword, newPassword: values.newPassword },
      }),
    onSuccess: async (result) => {
      form.reset();
      notifications.show({ color: 'green', message: signedOutMessage(result.sessionsRevoked) });
      await queryClient.invalidateQueries({ queryKey: sessionsQuery.queryKey });
    },
    onError: (error) => setFormError(applyErrorToForm(form, error)),
  });
  const submit = form.onSubmit((values) => {
    setFormError(null);
    change.mutate(values);
  });

  return (
    <section aria-labelledby="password-heading">
      <Title order={2} id="password-heading" mb={4}>
        Password
      </Title>
      <Text c="dimmed" size="sm" mb="sm">
        Changing your password signs you out everywhere except this browser.
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={420}>
          <FormAlert message={formError} />
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            key={form.key('currentPassword')}
            {...form.getInputProps('currentPassword')}
          />
          <PasswordInput
            label="New password"
            description={`At least ${passwordLimits.min} characters.`}
            autoComplete="new-password"
            required
            key={form.key('newPassword')}
            {...form.getInputProps('newPassword')}
          />
          <PasswordInput
            label="Confirm new password"
            autoComplete="new-password"
            required
            key={form.key('confirmPassword')}
            {...form.getInputProps('confirmPassword')}
          />
          <Group>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </section>
  );
}
