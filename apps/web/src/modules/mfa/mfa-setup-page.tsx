import { useNavigate } from '@tanstack/react-router';
import { AuthLayout } from '../auth/auth-layout.tsx';
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
    </AuthLayout>
  );
}
