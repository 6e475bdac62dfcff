import { Anchor, Group, Paper, Stack, Text } from '@mantine/core';
import { endpoints, type policyFileSchema } from '@steward/contracts';
import type { z } from 'zod';
import { endpointUrl } from '../../lib/api-client.ts';

type PolicyFile = z.infer<typeof policyFileSchema>;

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${String(bytes)} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The addresses of a version's document: for policy readers, or for a person asked to read it. */
export function policyFileUrls(
  versionId: string,
  audience: 'reader' | 'me',
): { view: string; download: string } {
  const endpoint =
    audience === 'me' ? endpoints.downloadMyPolicyFile : endpoints.downloadPolicyVersionFile;
  return {
    view: endpointUrl(endpoint, { params: { versionId }, query: { disposition: 'inline' } }),
    download: endpointUrl(endpoint, { params: { versionId } }),
  };
}

/** An uploaded policy document: a PDF opens in the browser or downloads; a DOCX downloads. */
export function PolicyDocument({
  file,
  versionId,
  audience,
}: {
  file: PolicyFile;
  versionId: string;
  audience: 'reader' | 'me';
}) {
  const urls = policyFileUrls(versionId, audience);
  const kind = file.format === 'pdf' ? 'PDF' : 'Word document';
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Text fw={600}>{file.fileName}</Text>
        <Text size="sm" c="dimmed">
          {kind} · {formatSize(file.sizeBytes)} · SHA-256 {file.sha256.slice(0, 12)}…
        </Text>
        <Group gap="md">
          {file.format === 'pdf' ? (
            <Anchor href={urls.view} target="_blank" rel="noopener noreferrer">
              Open the PDF
            </Anchor>
          ) : null}
          <Anchor href={urls.download} download={file.fileName}>
            Download {file.format === 'pdf' ? 'the PDF' : 'the Word document'}
          </Anchor>
        </Group>
      </Stack>
    </Paper>
  );
}
