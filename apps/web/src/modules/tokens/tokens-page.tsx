import { Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { PageHeader } from '../../components/page-header.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { CreateTokenModal } from './create-token-modal.tsx';
import { TokensTable } from './tokens-table.tsx';

function TokensContent() {
  const [isCreateOpen, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens let scripts, CI pipelines and the command-line tool call the Steward API as you, with a role no higher than yours."
        actions={<Button onClick={openCreate}>New token</Button>}
      />
      <TokensTable />
      <CreateTokenModal opened={isCreateOpen} onClose={closeCreate} />
    </>
  );
}

/** `/settings/tokens`: list, create and revoke your own API tokens. */
export function TokensPage() {
  return (
    <RequirePermission permission="tokens.create" title="API tokens">
      <TokensContent />
    </RequirePermission>
  );
}
