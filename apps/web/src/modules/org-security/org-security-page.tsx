import { Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { securityPolicyQuery, ssoConfigQuery } from './org-security-queries.ts';
import { SecurityPolicyForm } from './security-policy-form.tsx';
import { SsoConfigForm } from './sso-config-form.tsx';

function OrgSecurityContent() {
  const policy = useQuery(securityPolicyQuery);
  const sso = useQuery(ssoConfigQuery);
  if (policy.error ?? sso.error) return <QueryError error={policy.error ?? sso.error} />;
  if (!policy.data || !sso.data) return <LoadingBlock />;
  return (
    <Stack gap="xl">
      <PageHeader
        title="Security policy"
        description="How people of your organisation sign in, and for how long their sessions last."
      />
      <SecurityPolicyForm policy={policy.data} />
      <Title order={2} size="h3">
        Single sign-on (OpenID Connect)
      </Title>
      <SsoConfigForm config={sso.data.config} redirectUri={sso.data.redirectUri} />
    </Stack>
  );
}

/** `/settings/org-security`: the org's security policy and SSO configuration (owners). */
export function OrgSecurityPage() {
  return (
    <RequirePermission permission="org.manage" title="Security policy">
      <OrgSecurityContent />
    </RequirePermission>
  );
}
