import {
  Button,
  Code,
  Group,
  PasswordInput,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { endpoints, roles, type SsoConfig } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormAlert } from '../../components/form-alert.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { ssoConfigQuery } from './org-security-queries.ts';

/** OpenID Connect settings; the client secret is write-only (blank keeps the stored one). */
export function SsoConfigForm({
  config,
  redirectUri,
}: {
  config: SsoConfig | null;
  redirectUri: string;
}) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: {
      issuer: config?.issuer ?? '',
      clientId: config?.clientId ?? '',
      clientSecret: '',
      isEnabled: config?.isEnabled ?? true,
      provisioning: config?.provisioning ?? 'invite_only',
      defaultRole: config?.defaultRole ?? 'employee',
      allowedDomains: config?.allowedDomains ?? [],
    },
  });
  const save = useMutation({
    mutationFn: ({ clientSecret, ...rest }: typeof form.values) =>
      call(endpoints.updateSsoConfig, {
        body: { ...rest, ...(clientSecret ? { clientSecret } : {}) },
      }),
    onSuccess: (saved) => {
      setFormError(null);
      form.setFieldValue('clientSecret', '');
      queryClient.setQueryData(ssoConfigQuery.queryKey, saved);
    },
    onError: (error) => setFormError(applyErrorToForm(form, error)),
  });

  return (
    <form onSubmit={form.onSubmit((values) => save.mutate(values))} noValidate>
      <Stack>
        <Text size="sm">
          Register this redirect URI at your identity provider: <Code>{redirectUri}</Code>
        </Text>
        <FormAlert message={formError} />
        <TextInput
          label="Issuer URL"
          required
          key={form.key('issuer')}
          {...form.getInputProps('issuer')}
        />
        <TextInput
          label="Client id"
          required
          key={form.key('clientId')}
          {...form.getInputProps('clientId')}
        />
        <PasswordInput
          label="Client secret"
          description={config?.isClientSecretSet ? 'Set — leave blank to keep it' : 'Not set'}
          autoComplete="off"
          key={form.key('clientSecret')}
          {...form.getInputProps('clientSecret')}
        />
        <Select
          label="People without an account"
          data={[
            { value: 'invite_only', label: 'Invite only: existing users only' },
            { value: 'jit', label: 'Create their account on first sign-in' },
          ]}
          key={form.key('provisioning')}
          {...form.getInputProps('provisioning')}
        />
        <Select
          label="Role of accounts created by SSO"
          data={roles.filter((r) => r !== 'owner')}
          key={form.key('defaultRole')}
          {...form.getInputProps('defaultRole')}
        />
        <TagsInput
          label="Allowed email domains"
          description="People sign in with SSO from their work email; empty allows any verified email"
          key={form.key('allowedDomains')}
          {...form.getInputProps('allowedDomains')}
        />
        <Switch
          label="SSO enabled"
          key={form.key('isEnabled')}
          {...form.getInputProps('isEnabled', { type: 'checkbox' })}
        />
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save SSO settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
