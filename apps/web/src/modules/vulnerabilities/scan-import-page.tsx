import {
  Alert,
  Autocomplete,
  Button,
  Checkbox,
  Group,
  List,
  NativeSelect,
  Paper,
  Stack,
  Text,
} from '@mantine/core';
import { endpoints, scanFormats } from '@steward/contracts';
import type { ScanImportSummary } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FileField } from '../../components/file-field.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { ButtonLink } from '../../components/router-links.tsx';
import { ApiError, callMultipart } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { ScanImportNumbers } from './scan-import-summary.tsx';
import { SectionCard } from './section-card.tsx';
import { assetsQuery, vulnerabilitiesKey } from './vulnerabilities-queries.ts';

type ScanFormat = (typeof scanFormats)[number];

function ImportFailure({ error }: { error: unknown }) {
  const details = error instanceof ApiError ? error.fieldErrors : [];
  return (
    <Alert color="red" title="The report was not imported" role="alert">
      <Stack gap="xs">
        <Text size="sm">{describeError(error)}</Text>
        {details.length > 0 ? (
          <List size="sm">
            {details.map((detail) => (
              <List.Item key={`${detail.path}-${detail.message}`}>
                {detail.path ? <code>{detail.path}</code> : null} {detail.message}
              </List.Item>
            ))}
          </List>
        ) : null}
        <Text size="sm">Nothing changed: an import is all or nothing.</Text>
      </Stack>
    </Alert>
  );
}

function ImportResult({ summary }: { summary: ScanImportSummary }) {
  return (
    <SectionCard title="Import summary">
      <Stack gap="sm">
        <Text size="sm">
          Imported into <strong>{summary.assetName}</strong>
          {summary.isAssetCreated ? ' (a new asset)' : ''} in {summary.durationMs} ms.
        </Text>
        <ScanImportNumbers summary={summary} />
        <Group gap="sm">
          <ButtonLink to="/findings" search={{ assetId: summary.assetId, state: 'open' }}>
            Open findings of {summary.assetName}
          </ButtonLink>
          <ButtonLink to="/assets/$assetId" params={{ assetId: summary.assetId }} variant="default">
            Asset page
          </ButtonLink>
        </Group>
      </Stack>
    </SectionCard>
  );
}

function ScanImportContent() {
  const queryClient = useQueryClient();
  const assets = useQuery(assetsQuery());
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [asset, setAsset] = useState('');
  const [format, setFormat] = useState<ScanFormat | ''>('');
  const [closeMissing, setCloseMissing] = useState(true);
  const [fieldErrors, setFieldErrors] = useState<{ file?: string; asset?: string }>({});

  const upload = useMutation({
    mutationFn: (chosen: File) =>
      callMultipart(endpoints.importScan, {
        fields: { asset: asset.trim(), format: format || undefined, closeMissing },
        files: { file: chosen },
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: [vulnerabilitiesKey] });
      setFile(null);
      setFileKey((key) => key + 1);
    },
  });

  return (
    <>
      <PageHeader
        title="Import a scan"
        description="Bring one scanner report into one asset. The format is detected from the content when you leave it empty."
      />
      <Paper withBorder radius="md" p="md" mb="lg">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const errors = {
              ...(file ? {} : { file: 'Choose a report file' }),
              ...(asset.trim() ? {} : { asset: 'Enter the asset name' }),
            };
            setFieldErrors(errors);
            if (file && asset.trim()) upload.mutate(file);
          }}
          noValidate
        >
          <Stack>
            <FileField
              key={fileKey}
              label="Report file"
              description="SARIF, CycloneDX, Trivy, Grype, npm audit, OSV-Scanner, Snyk, ZAP and more"
              error={fieldErrors.file}
              required
              onChange={setFile}
            />
            <Autocomplete
              label="Asset"
              description="The asset's name; a new name creates the asset"
              required
              value={asset}
              onChange={setAsset}
              error={fieldErrors.asset}
              data={(assets.data?.items ?? []).map((item) => item.name)}
            />
            <NativeSelect
              label="Format"
              value={format}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setFormat(scanFormats.find((f) => f === value) ?? '');
              }}
              data={[{ value: '', label: 'Detect from the content' }, ...scanFormats]}
            />
            <Checkbox
              label="Close open findings missing from this report (as fixed)"
              checked={closeMissing}
              onChange={(event) => setCloseMissing(event.currentTarget.checked)}
            />
            <Group>
              <Button type="submit" loading={upload.isPending}>
                Import report
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      {upload.isError ? <ImportFailure error={upload.error} /> : null}
      {upload.isSuccess ? <ImportResult summary={upload.data} /> : null}
    </>
  );
}

/** `/scans/import`: upload a scanner report and see what the import did. */
export function ScanImportPage() {
  return (
    <RequirePermission permission="findings.import" title="Import a scan">
      <ScanImportContent />
    </RequirePermission>
  );
}
