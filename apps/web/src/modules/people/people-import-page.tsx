import { Alert, Badge, Button, Code, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints, peopleCsvColumns, type PeopleImportResult } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FileField } from '../../components/file-field.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { ApiError, callMultipart } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { invalidatePeople } from './people-queries.ts';

const actionColors = {
  create: 'green',
  update: 'blue',
  unchanged: 'gray',
  error: 'red',
} as const;

function describeChange(diff: { from: unknown; to: unknown }): string {
  const show = (v: unknown) =>
    v === null || v === undefined
      ? '—'
      : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
        ? String(v)
        : JSON.stringify(v);
  return `${show(diff.from)} → ${show(diff.to)}`;
}

function ImportRows({ result }: { result: PeopleImportResult }) {
  const rows = result.rows.filter((r) => r.action !== 'unchanged');
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="xs">
        <Text size="sm">Rows: {result.summary.rows}</Text>
        <Text size="sm">To create: {result.summary.create}</Text>
        <Text size="sm">To update: {result.summary.update}</Text>
        <Text size="sm">Unchanged: {result.summary.unchanged}</Text>
        <Text size="sm" c={result.summary.error > 0 ? 'red' : undefined}>
          With errors: {result.summary.error}
        </Text>
      </SimpleGrid>
      {rows.length === 0 ? (
        <Text size="sm">Every row matches the directory already.</Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table aria-label="Import rows">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Row</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Changes or errors</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.slice(0, 1000).map((row) => (
                <Table.Tr key={row.row}>
                  <Table.Td>{row.row}</Table.Td>
                  <Table.Td>{row.email ?? '—'}</Table.Td>
                  <Table.Td>
                    <Badge color={actionColors[row.action]} variant="light">
                      {row.action}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      {row.errors.map((error) => (
                        <Text size="xs" c="red" key={`${error.column}-${error.message}`}>
                          Row {row.row}, column {error.column}: {error.message}
                        </Text>
                      ))}
                      {Object.entries(row.changes).map(([field, diff]) => (
                        <Text size="xs" key={field}>
                          {field}: {describeChange(diff)}
                        </Text>
                      ))}
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function PeopleImport() {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [preview, setPreview] = useState<PeopleImportResult | null>(null);
  const [applied, setApplied] = useState<PeopleImportResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  const run = useMutation({
    mutationFn: (isPreview: boolean) => {
      if (!file) throw new Error('no file');
      return callMultipart(endpoints.importPeople, {
        fields: { preview: isPreview ? 'true' : 'false' },
        files: { file },
      });
    },
    onSuccess: async (result) => {
      setProblem(null);
      if (result.preview) {
        setPreview(result);
        return;
      }
      setApplied(result);
      setPreview(null);
      setFile(null);
      setFileKey((k) => k + 1);
      await invalidatePeople(queryClient);
      notifications.show({
        color: 'green',
        message: `Imported: ${String(result.summary.create)} added, ${String(result.summary.update)} updated`,
      });
    },
    onError: (error) => {
      const fileProblem =
        error instanceof ApiError ? error.fieldErrors.find((f) => f.path === 'file') : undefined;
      setFileError(fileProblem?.message ?? null);
      setProblem(describeError(error));
    },
  });

  return (
    <>
      <PageHeader
        title="Import people"
        description={
          <AnchorLink to="/people" size="sm">
            Back to people
          </AnchorLink>
        }
      />
      <Stack gap="md" maw={900}>
        <Alert color="blue" title="The file">
          <Text size="sm">
            A UTF-8 CSV with a header row. Required columns: <Code>email</Code> and{' '}
            <Code>name</Code>. Optional: {peopleCsvColumns.slice(2).join(', ')}. Dates are{' '}
            <Code>YYYY-MM-DD</Code>. People are matched by email; importing the same file twice
            changes nothing. Preview first: nothing is applied while any row has a problem.
          </Text>
        </Alert>
        <FileField
          key={fileKey}
          label="CSV file"
          accept=".csv,text/csv"
          required
          error={fileError}
          onChange={(chosen) => {
            setFile(chosen);
            setPreview(null);
            setApplied(null);
            setProblem(null);
            setFileError(null);
          }}
        />
        <FormAlert message={problem} />
        <Group>
          <Button
            variant="default"
            disabled={!file}
            loading={run.isPending && run.variables}
            onClick={() => run.mutate(true)}
          >
            Preview
          </Button>
          <Button
            disabled={!preview || preview.summary.error > 0}
            loading={run.isPending && !run.variables}
            onClick={() => run.mutate(false)}
          >
            Apply import
          </Button>
        </Group>
        {preview ? <ImportRows result={preview} /> : null}
        {applied ? (
          <Alert color="green" title="Import applied">
            {applied.summary.create} added, {applied.summary.update} updated,{' '}
            {applied.summary.unchanged} unchanged.
          </Alert>
        ) : null}
      </Stack>
    </>
  );
}

/** Import people from CSV: preview what would change (errors by row and column), then apply. */
export function PeopleImportPage() {
  return (
    <RequirePermission permission="people.manage" title="Import people">
      <PeopleImport />
    </RequirePermission>
  );
}
