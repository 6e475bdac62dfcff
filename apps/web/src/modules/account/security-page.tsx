import { Stack } from '@mantine/core';
import { PageHeader } from '../../components/page-header.tsx';
import { TwoFactorSection } from '../mfa/two-factor-section.tsx';
import { PasskeysSection } from '../passkeys/passkeys-section.tsx';
import { PasswordSection } from './password-section.tsx';
import { SessionsSection } from './sessions-section.tsx';

/** `/settings/security`: the signed-in person's own account security, one section each. */
export function SecurityPage() {
  return (
    <>
      <PageHeader
        title="Security"
        description="How you sign in to Steward, and where you are signed in."
      />
      <Stack gap="xl">
        <PasswordSection />
        <TwoFactorSection />
        <PasskeysSection />
        <SessionsSection />
      </Stack>
    </>
  );
}
