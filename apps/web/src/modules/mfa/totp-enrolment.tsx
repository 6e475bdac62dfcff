import { Button, Code, Image, Stack, Text, TextInput } from '@mantine/core';
import { endpoints } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormAlert } from '../../components/form-alert.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { meQuery } from '../auth/auth-queries.ts';
import { mfaStatusQuery } from './mfa-queries.ts';
import { RecoveryCodes } from './recovery-codes.tsx';

/** TOTP enrolment: scan or type the key, confirm with a first code, then keep the recovery codes. */
export function TotpEnrolment({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const start = useMutation({ mutationFn: () => call(endpoints.startTotpEnrolment) });
  const confirm = useMutation({
    mutationFn: (value: string) => call(endpoints.confirmTotp, { body: { code: value } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: mfaStatusQuery.queryKey });
      await queryClient.invalidateQueries({ queryKey: meQuery.queryKey });
    },
    onError: (e) => setError(describeError(e)),
  });

  if (confirm.data) {
    return (
      <Stack>
        <RecoveryCodes codes={confirm.data.codes} />
        <Button onClick={onDone}>I have saved my recovery codes</Button>
      </Stack>
    );
  }
  if (!start.data) {
    return (
      <Stack>
        <FormAlert message={start.error ? describeError(start.error) : null} />
        <Text size="sm">
          Use an authenticator app (such as FreeOTP, Aegis or 1Password) to generate sign-in codes.
        </Text>
        <Button onClick={() => start.mutate()} loading={start.isPending}>
          Set up authenticator app
        </Button>
      </Stack>
    );
  }
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setError(null);
        confirm.mutate(code);
      }}
    >
      <Stack>
        <Text size="sm">Scan this QR code with your authenticator app:</Text>
        <Image
          src={start.data.qrCodeDataUrl}
          alt="QR code for your authenticator app"
          w={200}
          h={200}
        />
        <Text size="sm">
          Or enter this key by hand: <Code data-testid="totp-secret">{start.data.secret}</Code>
        </Text>
        <FormAlert message={error} />
        <TextInput
          label="Code from the app"
          inputMode="numeric"
          autoComplete="one-time-code"
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          required
        />
        <Button type="submit" loading={confirm.isPending}>
          Turn on two-factor authentication
        </Button>
      </Stack>
    </form>
  );
}
