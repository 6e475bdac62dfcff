import {
  Button,
  Checkbox,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  Switch,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { endpoints, roles, signInMethods, type SecurityPolicy } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormAlert } from '../../components/form-alert.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { securityPolicyQuery } from './org-security-queries.ts';

const methodLabels = { password: 'Password', passkey: 'Passkey', sso: 'SSO' } as const;

/** The org's policy: MFA roles, session lifetimes, sign-in methods, SSO required. */
export function SecurityPolicyForm({ policy }: { policy: SecurityPolicy }) {
  const queryClient = useQueryClient();
  const owners = useQuery({
    queryKey: ['users'],
    queryFn: ({ signal }) => call(endpoints.listUsers, { signal }),
  });
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: {
      mfaRequiredRoles: policy.mfaRequiredRoles,
      sessionIdleMinutes: policy.sessionIdleMinutes,
      sessionMaxHours: policy.sessionMaxHours,
      allowedSignInMethods: policy.allowedSignInMethods,
      ssoRequired: policy.ssoRequired,
      breakGlassOwnerId: policy.breakGlassOwnerId,
    },
  });
  const save = useMutation({
    mutationFn: (body: typeof form.values) => call(endpoints.updateSecurityPolicy, { body: body }),
    onSuccess: (saved) => {
      setFormError(null);
      queryClient.setQueryData(securityPolicyQuery.queryKey, saved);
    },
    onError: (error) => setFormError(applyErrorToForm(form, error)),
  });
  const ownerOptions = (owners.data?.items ?? [])
    .filter((u) => u.role === 'owner' && u.status === 'active')
    .map((u) => ({ value: u.id, label: `${u.name} (${u.email})` }));

  return (
    <form onSubmit={form.onSubmit((values) => save.mutate(values))} noValidate>
      <Stack>
        <FormAlert message={formError} />
        <MultiSelect
          label="Roles that must use two-factor authentication"
          data={[...roles]}
          key={form.key('mfaRequiredRoles')}
          {...form.getInputProps('mfaRequiredRoles')}
        />
        <Group grow>
          <NumberInput
            label="Session idle timeout (minutes)"
            key={form.key('sessionIdleMinutes')}
            {...form.getInputProps('sessionIdleMinutes')}
          />
          <NumberInput
            label="Session absolute lifetime (hours)"
            key={form.key('sessionMaxHours')}
            {...form.getInputProps('sessionMaxHours')}
          />
        </Group>
        <Checkbox.Group
          label="Allowed sign-in methods"
          key={form.key('allowedSignInMethods')}
          {...form.getInputProps('allowedSignInMethods')}
        >
          <Group mt="xs">
            {signInMethods.map((m) => (
              <Checkbox key={m} value={m} label={methodLabels[m]} />
            ))}
          </Group>
        </Checkbox.Group>
        <Switch
          label="Require SSO (everyone except the break-glass owner)"
          key={form.key('ssoRequired')}
          {...form.getInputProps('ssoRequired', { type: 'checkbox' })}
        />
        <Select
          label="Break-glass owner (may still sign in with password and two-factor)"
          data={ownerOptions}
          clearable
          key={form.key('breakGlassOwnerId')}
          {...form.getInputProps('breakGlassOwnerId')}
        />
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save policy
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
