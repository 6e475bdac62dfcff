import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { endpoints } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate, useRouter } from '@tanstack/react-router';
import { useState } from 'react';
import { FormAlert } from '../../components/form-alert.tsx';
import { call, isApiErrorCode } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { startSession } from '../auth/auth-queries.ts';
import { AuthLayout } from '../auth/auth-layout.tsx';
import { PasskeySignInButton } from '../passkeys/passkey-sign-in-button.tsx';

const challengeRoute = getRouteApi('/sign-in/mfa');

/** The second step of sign-in: a code from the authenticator app, or a recovery code. */
export function MfaChallengePage() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const router = useRouter();
  const { redirect } = challengeRoute.useSearch();
  const [isRecovery, setIsRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const verify = useMutation({
    mutationFn: () =>
      call(endpoints.verifyMfa, {
        body: isRecovery ? { recoveryCode: value } : { code: value },
      }),
    onSuccess: async (me) => {
      startSession(queryClient, me);
      if (redirect) {
        router.history.push(redirect);
        return;
      }
      await navigate({ to: '/' });
    },
    onError: async (e) => {
      if (isApiErrorCode(e, 'auth.mfa_challenge_invalid')) {
        await navigate({ to: '/sign-in', search: redirect ? { redirect } : {} });
        return;
      }
      setValue('');
      setError(describeError(e));
    },
  });

  return (
    <AuthLayout
      title="Two-factor authentication"
      description={
        isRecovery
          ? 'Enter one of your recovery codes. Each works once.'
          : 'Enter the 6-digit code from your authenticator app.'
      }
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setError(null);
          verify.mutate();
        }}
      >
        <Stack>
          <FormAlert message={error} />
          <TextInput
            label={isRecovery ? 'Recovery code' : 'Code'}
            inputMode={isRecovery ? 'text' : 'numeric'}
            autoComplete="one-time-code"
            value={value}
            onChange={(event) => setValue(event.currentTarget.value)}
            required
            data-autofocus
          />
          <Button type="submit" loading={verify.isPending} fullWidth>
            Verify
          </Button>
          <PasskeySignInButton redirect={redirect} step="second_factor" />
          <Text size="sm" ta="center">
            <Anchor
              component="button"
              type="button"
              onClick={() => {
                setIsRecovery(!isRecovery);
                setValue('');
                setError(null);
              }}
            >
              {isRecovery ? 'Use a code from the app' : 'Use a recovery code'}
            </Anchor>
            {' · '}
            <Anchor component={Link} to="/sign-in">
              Start over
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthLayout>
  );
}
