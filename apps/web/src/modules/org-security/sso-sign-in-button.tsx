import { Button, Stack, TextInput } from '@mantine/core';
import { endpoints, errorCodes, type ErrorCode } from '@steward/contracts';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { FormAlert } from '../../components/form-alert.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';

function ssoErrorFromUrl(): string | null {
  const code = new URLSearchParams(window.location.search).get('sso_error');
  if (!code) return null;
  return code in errorCodes ? errorCodes[code as ErrorCode].title : 'SSO sign-in failed';
}

/** "Sign in with SSO": asks for the work email, whose domain picks the organisation's IdP. */
export function SsoSignInButton() {
  const [isOpen, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(ssoErrorFromUrl);
  const start = useMutation({
    mutationFn: () => call(endpoints.startSso, { body: { email } }),
    onSuccess: ({ authorizationUrl }) => window.location.assign(authorizationUrl),
    onError: (e) => setError(describeError(e)),
  });
  if (!isOpen) {
    return (
      <Stack gap="xs">
        <FormAlert message={error} />
        <Button variant="default" fullWidth onClick={() => setOpen(true)}>
          Sign in with SSO
        </Button>
      </Stack>
    );
  }
  return (
    <Stack gap="xs">
      <FormAlert message={error} />
      <TextInput
        label="Work email for SSO"
        type="email"
        value={email}
        onChange={(e) => setEmail(e.currentTarget.value)}
      />
      <Button variant="default" fullWidth loading={start.isPending} onClick={() => start.mutate()}>
        Continue with SSO
      </Button>
    </Stack>
  );
}
