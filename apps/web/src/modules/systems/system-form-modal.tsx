import {
  Checkbox,
  NativeSelect,
  NumberInput,
  PasswordInput,
  SimpleGrid,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import {
  connectorKinds,
  endpoints,
  postgresSslModes,
  systemCriticalities,
  systemEnvironments,
  type System,
} from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormModal } from '../../components/form-frame.tsx';
import { ApiError, call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { usersQuery } from '../users/users-queries.ts';
import { invalidateSystems } from './systems-queries.ts';

interface SystemValues {
  name: string;
  description: string;
  ownerUserId: string;
  environment: (typeof systemEnvironments)[number];
  holdsCustomerData: boolean;
  signInMethod: 'sso' | 'local';
  ssoSupported: boolean;
  mfaEnforced: boolean;
  criticality: (typeof systemCriticalities)[number];
  reviewCadenceMonths: number | string;
  adminLimit: number | string;
  connectorKind: string;
  syncIntervalHours: number | string;
  postgres: {
    host: string;
    port: number | string;
    database: string;
    user: string;
    password: string;
    sslmode: (typeof postgresSslModes)[number];
  };
}

const connectorLabels: Record<(typeof connectorKinds)[number], string> = {
  postgresql: 'PostgreSQL connector',
  csv: 'CSV upload',
  push: 'Push API (full snapshots)',
  scim: 'SCIM directory (identity provider accounts)',
};

function initialValues(system: System | undefined): SystemValues {
  return {
    name: system?.name ?? '',
    description: system?.description ?? '',
    ownerUserId: system?.owner?.id ?? '',
    environment: system?.environment ?? 'production',
    holdsCustomerData: system?.holdsCustomerData ?? false,
    signInMethod: system?.signInMethod ?? 'sso',
    ssoSupported: system?.ssoSupported ?? false,
    mfaEnforced: system?.mfaEnforced ?? false,
    criticality: system?.criticality ?? 'medium',
    reviewCadenceMonths: system?.reviewCadenceMonths ?? 3,
    adminLimit: system?.adminLimit ?? '',
    connectorKind: system?.connectorKind ?? '',
    syncIntervalHours: system?.syncIntervalHours ?? '',
    postgres: {
      host: system?.postgres?.host ?? '',
      port: system?.postgres?.port ?? 5432,
      database: system?.postgres?.database ?? '',
      user: system?.postgres?.user ?? '',
      password: '',
      sslmode: system?.postgres?.sslmode ?? 'prefer',
    },
  };
}

function toNumber(value: number | string): number | null {
  if (value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function toBody(values: SystemValues, system: System | undefined) {
  const kind =
    values.connectorKind === '' ? null : (values.connectorKind as System['connectorKind']);
  const postgres =
    kind === 'postgresql'
      ? {
          host: values.postgres.host,
          port: toNumber(values.postgres.port) ?? 5432,
          database: values.postgres.database,
          user: values.postgres.user,
          sslmode: values.postgres.sslmode,
          // Write-only: an empty field keeps the stored password.
          ...(values.postgres.password === '' ? {} : { password: values.postgres.password }),
        }
      : system?.connectorKind === 'postgresql'
        ? null
        : undefined;
  return {
    name: values.name,
    description: values.description,
    ownerUserId: values.ownerUserId === '' ? null : values.ownerUserId,
    environment: values.environment,
    holdsCustomerData: values.holdsCustomerData,
    signInMethod: values.signInMethod,
    ssoSupported: values.ssoSupported,
    mfaEnforced: values.mfaEnforced,
    criticality: values.criticality,
    reviewCadenceMonths: toNumber(values.reviewCadenceMonths) ?? 3,
    adminLimit: toNumber(values.adminLimit),
    connectorKind: kind,
    syncIntervalHours:
      kind === 'postgresql' || kind === 'scim' ? toNumber(values.syncIntervalHours) : null,
    ...(postgres === undefined ? {} : { postgres }),
  };
}

/** Add a system, or change one (`system` given); the connector password is write-only. */
export function SystemFormModal({
  system,
  opened,
  onClose,
  onSaved,
}: {
  system?: System;
  opened: boolean;
  onClose: () => void;
  onSaved?: (saved: System) => void;
}) {
  const queryClient = useQueryClient();
  const users = useQuery(usersQuery);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<SystemValues>({
    mode: 'controlled',
    initialValues: initialValues(system),
    validate: {
      name: (v) => (v.trim() ? null : 'Enter a name'),
    },
  });
  const save = useMutation({
    mutationFn: (values: SystemValues) => {
      const body = toBody(values, system);
      return system
        ? call(endpoints.updateSystem, { params: { id: system.id }, body })
        : call(endpoints.createSystem, { body });
    },
    onSuccess: async (saved) => {
      notifications.show({ color: 'green', message: system ? 'System saved' : 'System added' });
      await invalidateSystems(queryClient);
      if (!system) form.reset();
      onSaved?.(saved);
      onClose();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.fieldErrors.length > 0) {
        const errors: Record<string, string> = {};
        const other: string[] = [];
        for (const e of error.fieldErrors) {
          if (e.path in form.getValues() || e.path.startsWith('postgres.'))
            errors[e.path] ??= e.message;
          else other.push(e.message);
        }
        form.setErrors(errors);
        setFormError(
          other.length > 0
            ? other.join(' ')
            : Object.keys(errors).length > 0
              ? null
              : describeError(error),
        );
      } else {
        setFormError(describeError(error));
      }
    },
  });
  const kind = form.getValues().connectorKind;
  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title={system ? 'Edit system' : 'Add a system'}
      size="lg"
      onSubmit={form.onSubmit((values) => {
        setFormError(null);
        save.mutate(values);
      })}
      error={formError}
      submitLabel={system ? 'Save' : 'Add system'}
      isPending={save.isPending}
    >
      <TextInput label="Name" required key={form.key('name')} {...form.getInputProps('name')} />
      <Textarea
        label="Description"
        autosize
        minRows={2}
        key={form.key('description')}
        {...form.getInputProps('description')}
      />
      <NativeSelect
        label="Owner"
        description="Answers for the system's accounts and reviews"
        data={[
          { value: '', label: 'No owner yet' },
          ...(users.data?.items ?? [])
            .filter((u) => u.status === 'active')
            .map((u) => ({ value: u.id, label: `${u.name} (${u.email})` })),
        ]}
        key={form.key('ownerUserId')}
        {...form.getInputProps('ownerUserId')}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NativeSelect
          label="Environment"
          data={systemEnvironments.map((e) => ({ value: e, label: e }))}
          key={form.key('environment')}
          {...form.getInputProps('environment')}
        />
        <NativeSelect
          label="Criticality"
          data={systemCriticalities.map((c) => ({ value: c, label: c }))}
          key={form.key('criticality')}
          {...form.getInputProps('criticality')}
        />
        <NativeSelect
          label="Sign-in method"
          data={[
            { value: 'sso', label: 'Single sign-on' },
            { value: 'local', label: 'Local accounts' },
          ]}
          key={form.key('signInMethod')}
          {...form.getInputProps('signInMethod')}
        />
        <NumberInput
          label="Review cadence (months)"
          min={1}
          max={24}
          key={form.key('reviewCadenceMonths')}
          {...form.getInputProps('reviewCadenceMonths')}
        />
        <NumberInput
          label="Most standing administrators"
          description="Leave empty when no limit is set"
          min={0}
          key={form.key('adminLimit')}
          {...form.getInputProps('adminLimit')}
        />
      </SimpleGrid>
      <Checkbox
        label="Holds Customer Data"
        key={form.key('holdsCustomerData')}
        {...form.getInputProps('holdsCustomerData', { type: 'checkbox' })}
      />
      <Checkbox
        label="Supports single sign-on"
        key={form.key('ssoSupported')}
        {...form.getInputProps('ssoSupported', { type: 'checkbox' })}
      />
      <Checkbox
        label="Enforces MFA for every sign-in"
        key={form.key('mfaEnforced')}
        {...form.getInputProps('mfaEnforced', { type: 'checkbox' })}
      />
      <NativeSelect
        label="Accounts come from"
        data={[
          { value: '', label: 'Not connected' },
          ...connectorKinds.map((k) => ({ value: k, label: connectorLabels[k] })),
        ]}
        key={form.key('connectorKind')}
        {...form.getInputProps('connectorKind')}
      />
      {kind === 'postgresql' ? (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Host"
            required
            key={form.key('postgres.host')}
            {...form.getInputProps('postgres.host')}
          />
          <NumberInput
            label="Port"
            min={1}
            max={65535}
            key={form.key('postgres.port')}
            {...form.getInputProps('postgres.port')}
          />
          <TextInput
            label="Database"
            required
            key={form.key('postgres.database')}
            {...form.getInputProps('postgres.database')}
          />
          <TextInput
            label="User"
            description="A read-only role; the catalog views are all it reads"
            required
            key={form.key('postgres.user')}
            {...form.getInputProps('postgres.user')}
          />
          <PasswordInput
            label="Password"
            description={
              system?.postgres?.hasPassword
                ? 'Stored sealed; leave empty to keep it'
                : 'Stored sealed, never shown again'
            }
            autoComplete="new-password"
            key={form.key('postgres.password')}
            {...form.getInputProps('postgres.password')}
          />
          <NativeSelect
            label="TLS"
            data={postgresSslModes.map((m) => ({ value: m, label: m }))}
            key={form.key('postgres.sslmode')}
            {...form.getInputProps('postgres.sslmode')}
          />
        </SimpleGrid>
      ) : null}
      {kind === 'postgresql' || kind === 'scim' ? (
        <NumberInput
          label="Sync every (hours)"
          description="Leave empty to sync on demand only"
          min={1}
          max={720}
          key={form.key('syncIntervalHours')}
          {...form.getInputProps('syncIntervalHours')}
        />
      ) : null}
    </FormModal>
  );
}
