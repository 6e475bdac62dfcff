import {
  Badge,
  Button,
  Group,
  Modal,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { endpoints } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormAlert } from '../../components/form-alert.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { mfaStatusQuery } from './mfa-queries.ts';
import { RecoveryCodes } from './recovery-codes.tsx';
import { TotpEnrolment } from './totp-enrolment.tsx';

function NewRecoveryCodes() {
  const [code, setCode] = useState('');
  const queryClient = useQueryClient();
  const regenerate = useMutation({
    mutationFn: () => call(endpoints.regenerateRecoveryCodes, { body: { code } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mfaStatusQuery.queryKey }),
  });
  if (regenerate.data) return <RecoveryCodes codes={regenerate.data.codes} />;
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        regenerate.mutate();
      }}
    >
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Code from your app"
          inputMode="numeric"
          autoComplete="one-time-code"
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          error={regenerate.error ? describeError(regenerate.error) : null}
        />
        <Button type="submit" variant="default" loading={regenerate.isPending}>
          New recovery codes
        </Button>
      </Group>
    </form>
  );
}

function RemoveTotpButton() {
  const [isOpen, setIsOpen] = useState(false);
  const [password, setPassword] = useState('');
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => call(endpoints.removeTotp, { body: { password } }),
    onSuccess: async () => {
      setIsOpen(false);
      await queryClient.invalidateQueries({ queryKey: mfaStatusQuery.queryKey });
    },
  });
  return (
    <>
      <Button color="red" variant="light" onClick={() => setIsOpen(true)}>
        Turn off
      </Button>
      <Modal
        opened={isOpen}
        onClose={() => setIsOpen(false)}
        title="Turn off two-factor authentication"
      >
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            remove.mutate();
          }}
        >
          <Stack>
            <FormAlert message={remove.error ? describeError(remove.error) : null} />
            <PasswordInput
              label="Your password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              required
            />
            <Button type="submit" color="red" loading={remove.isPending}>
              Turn off
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

/** The security page's two-factor section: status, enrolment, recovery codes, removal. */
export function TwoFactorSection() {
  const status = useQuery(mfaStatusQuery);
  const [isEnrolling, setIsEnrolling] = useState(false);
  return (
    <section aria-labelledby="mfa-heading">
      <Group gap="sm" mb={4}>
        <Title order={2} id="mfa-heading">
          Two-factor authentication
        </Title>
        {status.data ? (
          <Badge color={status.data.totp.isEnabled ? 'green' : 'gray'}>
            {status.data.totp.isEnabled ? 'On' : 'Off'}
          </Badge>
        ) : null}
      </Group>
      {status.isPending ? <LoadingBlock label="Loading two-factor status" /> : null}
      {status.isError ? (
        <QueryError
          error={status.error}
          title="Could not load two-factor status"
          onRetry={() => void status.refetch()}
        />
      ) : null}
      {status.data?.totp.isEnabled ? (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            Sign-in asks for a code from your authenticator app.{' '}
            {status.data.recoveryCodesRemaining} unused recovery codes left.
          </Text>
          <NewRecoveryCodes />
          {status.data.isRequiredByPolicy ? (
            <Text size="sm" c="dimmed">
              Your organisation requires two-factor authentication for your role.
            </Text>
          ) : (
            <Group>
              <RemoveTotpButton />
            </Group>
          )}
        </Stack>
      ) : null}
      {status.data && !status.data.totp.isEnabled ? (
        isEnrolling ? (
          <TotpEnrolment onDone={() => setIsEnrolling(false)} />
        ) : (
          <Button onClick={() => setIsEnrolling(true)}>Set up authenticator app</Button>
        )
      ) : null}
    </section>
  );
}
