import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { endpoints, mfaMethods } from '@steward/contracts';
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

function describeStep(isRecovery: boolean, hasCode: boolean): string {
  if (!hasCode) return 'Use your passkey to finish signing in.';
  return isRecovery
    ? 'Enter one of your recovery codes. Each works once.'
    : 'Enter the 6-digit code from your authenticator app.';
}

/**
 * The second step of sign-in: a code from the authenticator app, a recovery code or a passkey,
 * offering only the methods the sign-in answer listed (all of them when it did not say, as after
 * SSO or a reload).
 */
export function MfaChallengePage() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const router = useRouter();
  const { redirect, methods = mfaMethods } = challengeRoute.useSearch();
  const hasTotp = methods.includes('totp');
  const hasRecovery = methods.includes('recovery_code');
  const hasCode = hasTotp || hasRecovery;
  const [isRecovery, setIsRecovery] = useState(!hasTotp && hasRecovery);
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
    <AuthLayout title="Two-factor authentication" description={describeStep(isRecovery, hasCode)}>
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
          {hasCode ? (
            <>
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
            </>
          ) : null}
          {methods.includes('passkey') ? (
            <PasskeySignInButton redirect={redirect} step="second_factor" />
          ) : null}
          <Text size="sm" ta="center">
            {hasTotp && hasRecovery ? (
              <>
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
              </>
            ) : null}
            <Anchor component={Link} to="/sign-in">
              Start over
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthLayout>
  );
}
