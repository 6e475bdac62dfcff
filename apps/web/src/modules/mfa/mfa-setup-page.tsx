import { Divider, Text } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { AuthLayout } from '../auth/auth-layout.tsx';
import { AddPasskeyForm } from '../passkeys/passkeys-section.tsx';
import { TotpEnrolment } from './totp-enrolment.tsx';

/** Where the policy sends people whose role needs MFA before they may do anything else. */
export function MfaSetupPage() {
  const navigate = useNavigate();
  return (
    <AuthLayout
      title="Set up two-factor authentication"
      description="Your organisation requires a second factor for your role. It takes a minute."
    >
      <TotpEnrolment onDone={() => void navigate({ to: '/' })} />
      <Divider my="lg" label="or" labelPosition="center" />
      <Text size="sm" mb="xs">
        Use a passkey: your device&apos;s screen lock or a security key.
      </Text>
      <AddPasskeyForm onDone={() => void navigate({ to: '/' })} />
    </AuthLayout>
  );
}
