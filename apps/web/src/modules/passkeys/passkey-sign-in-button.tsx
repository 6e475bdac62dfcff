import { Button, Text } from '@mantine/core';
import type { Me } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useRouter } from '@tanstack/react-router';
import { describeError } from '../../lib/form-errors.ts';
import { startSession } from '../auth/auth-queries.ts';
import { describePasskeyError, signInWithPasskey, verifyWithPasskey } from './passkey-client.ts';

/** Sign in with a passkey (`step` sign_in) or finish a password sign-in with one. */
export function PasskeySignInButton({
  redirect,
  step = 'sign_in',
}: {
  redirect?: string | undefined;
  step?: 'sign_in' | 'second_factor';
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const router = useRouter();
  const signIn = useMutation({
    mutationFn: (): Promise<Me> => (step === 'sign_in' ? signInWithPasskey() : verifyWithPasskey()),
    onSuccess: async (me) => {
      startSession(queryClient, me);
      if (redirect) {
        router.history.push(redirect);
        return;
      }
      await navigate({ to: '/' });
    },
  });
  return (
    <>
      <Button
        type="button"
        variant={step === 'sign_in' ? 'default' : 'filled'}
        fullWidth
        loading={signIn.isPending}
        onClick={() => signIn.mutate()}
      >
        {step === 'sign_in' ? 'Sign in with a passkey' : 'Use a passkey'}
      </Button>
      {signIn.error ? (
        <Text size="sm" c="red" role="alert">
          {describePasskeyError(signIn.error) ?? describeError(signIn.error)}
        </Text>
      ) : null}
    </>
  );
}
