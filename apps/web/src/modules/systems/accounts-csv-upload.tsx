import { Alert, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints, type AccountsImportResult } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FileField } from '../../components/file-field.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { ApiError, callMultipart } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { invalidateSystems } from './systems-queries.ts';

function Summary({ result }: { result: AccountsImportResult }) {
  const c = result.counts;
  return (
    <Text>
      {c.received} accounts in the file: {c.added} new, {c.changed} changed, {c.disabled} disabled,{' '}
      {c.reactivated} reactivated, {c.removed} removed, {c.unchanged} unchanged.
    </Text>
  );
}

/** Upload a CSV of a system's accounts: preview what changes, then apply it in one go. */
export function AccountsCsvUpload({ systemId }: { systemId: string }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [preview, setPreview] = useState<AccountsImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<string[]>([]);
  const upload = useMutation({
    mutationFn: (isPreview: boolean) =>
      callMultipart(endpoints.importSystemAccounts, {
        params: { id: systemId },
        fields: { preview: isPreview ? 'true' : 'false' },
        files: { file },
      }),
    onSuccess: async (result) => {
      setError(null);
      setRowErrors([]);
      if (result.preview) {
        setPreview(result);
        return;
      }
      setPreview(null);
      setFile(null);
      setFileKey((k) => k + 1);
      notifications.show({ color: 'green', message: 'Accounts imported' });
      await invalidateSystems(queryClient);
    },
    onError: (e) => {
      setPreview(null);
      setError(describeError(e));
      setRowErrors(e instanceof ApiError ? e.fieldErrors.map((f) => f.message) : []);
    },
  });
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={3} size="h5">
          Upload accounts (CSV)
        </Title>
        <Text size="sm" c="dimmed">
          Columns: external_id (or username or email), username, email, display_name, status (active
          or disabled), privileged, mfa_enabled, last_sign_in_at, valid_until, roles, groups,
          privileges (lists separated by |). The file is the full list: accounts missing from it are
          marked removed.
        </Text>
        <FormAlert message={error} />
        {rowErrors.length > 0 ? (
          <List size="sm" aria-label="Problems in the file">
            {rowErrors.slice(0, 50).map((m) => (
              <List.Item key={m}>{m}</List.Item>
            ))}
          </List>
        ) : null}
        <FileField
          key={fileKey}
          label="Accounts file"
          accept=".csv,text/csv"
          onChange={(f) => {
            setFile(f);
            setPreview(null);
          }}
        />
        {preview ? (
          <Alert color={preview.errors.length > 0 ? 'red' : 'blue'} title="Preview">
            <Stack gap="xs">
              <Summary result={preview} />
              {preview.errors.length > 0 ? (
                <List size="sm" aria-label="Problems in the file">
                  {preview.errors.slice(0, 50).map((e) => (
                    <List.Item key={`${String(e.row)}-${e.column}-${e.message}`}>
                      Row {e.row}, {e.column}: {e.message}
                    </List.Item>
                  ))}
                </List>
              ) : null}
            </Stack>
          </Alert>
        ) : null}
        <Group>
          <Button
            variant="default"
            disabled={!file}
            loading={upload.isPending && upload.variables}
            onClick={() => upload.mutate(true)}
          >
            Preview
          </Button>
          <Button
            disabled={!file || !preview || preview.errors.length > 0}
            loading={upload.isPending && !upload.variables}
            onClick={() => upload.mutate(false)}
          >
            Apply
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
