import { Modal, NativeSelect, NumberInput, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { createTokenSchema, endpoints, maxTokenDays } from '@steward/contracts';
import type { Role } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import { useMe } from '../../app/me-context.tsx';
import { FormFrame } from '../../components/form-frame.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { formatRole } from '../../lib/format.ts';
import { toRoleOptions } from '../../lib/role-options.ts';
import { TokenSecret } from './token-secret.tsx';
import { tokenRoleCatalogue, tokensQuery } from './tokens-queries.ts';

type NewTokenBody = z.input<typeof createTokenSchema>;

interface NewTokenValues {
  name: string;
  role: Role | '';
  expiresInDays: number | string;
}

const defaultExpiryDays = 90;

function toBody(values: NewTokenValues): NewTokenBody {
  return {
    name: values.name,
    role: values.role === '' ? undefined : values.role,
    expiresInDays: Number(values.expiresInDays),
  };
}

const validateWithSchema = schemaResolver(createTokenSchema, { sync: true });

function validateToken(values: NewTokenValues) {
  const errors = validateWithSchema(toBody(values));
  if (errors.expiresInDays) {
    errors.expiresInDays = `Enter a whole number of days from 1 to ${maxTokenDays}`;
  }
  return errors;
}

interface CreateTokenModalProps {
  opened: boolean;
  onClose: () => void;
}

/** Create a token, then show its secret this one time. */
export function CreateTokenModal({ opened, onClose }: CreateTokenModalProps) {
  const me = useMe();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const form = useForm<NewTokenValues>({
    mode: 'uncontrolled',
    initialValues: { name: '', role: '', expiresInDays: defaultExpiryDays },
    validate: validateToken,
  });

  const closeModal = () => {
    form.reset();
    setFormError(null);
    setSecret(null);
    onClose();
  };

  const createToken = useMutation({
    mutationFn: (body: NewTokenBody) => call(endpoints.createToken, { body }),
    onSuccess: async (created) => {
      setSecret(created.secret);
      await queryClient.invalidateQueries({ queryKey: tokensQuery.queryKey });
    },
    onError: (error) => setFormError(applyErrorToForm(form, error)),
  });

  const submitToken = form.onSubmit((values) => {
    setFormError(null);
    createToken.mutate(toBody(values));
  });

  const roleOptions = [
    { value: '', label: `Same as mine (${formatRole(me.user.role)})`, disabled: false },
    ...toRoleOptions(tokenRoleCatalogue, me.permissions),
  ];

  return (
    <Modal
      opened={opened}
      onClose={closeModal}
      title={secret ? 'Your new API token' : 'Create API token'}
      closeOnClickOutside={!secret}
      centered
      size="lg"
    >
      {secret ? (
        <TokenSecret secret={secret} onDone={closeModal} />
      ) : (
        <FormFrame
          onSubmit={submitToken}
          error={formError}
          onCancel={closeModal}
          submitLabel="Create token"
          isPending={createToken.isPending}
        >
          <TextInput
            label="Name"
            description="What uses this token, e.g. “CI vulnerability upload”."
            required
            autoComplete="off"
            key={form.key('name')}
            {...form.getInputProps('name')}
          />
          <NativeSelect
            label="Role"
            description="The token can do what this role allows, never more than you."
            data={roleOptions}
            key={form.key('role')}
            {...form.getInputProps('role')}
          />
          <NumberInput
            label="Expires in (days)"
            description={`Between 1 and ${maxTokenDays} days.`}
            min={1}
            max={maxTokenDays}
            allowDecimal={false}
            required
            key={form.key('expiresInDays')}
            {...form.getInputProps('expiresInDays')}
          />
        </FormFrame>
      )}
    </Modal>
  );
}
