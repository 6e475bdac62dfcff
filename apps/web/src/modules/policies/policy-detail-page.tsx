import {
  Badge,
  Button,
  Code,
  FileInput,
  Group,
  SegmentedControl,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan, useMe } from '../../app/me-context.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { call, callMultipart } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { MarkdownView } from './markdown-view.tsx';
import { PolicyDocument } from './policy-document.tsx';
import {
  invalidatePolicies,
  policyDiffQuery,
  policyQuery,
  policyVersionQuery,
} from './policies-queries.ts';

function useAction<T, V = void>(fn: (variables: V) => Promise<T>, message: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      notifications.show({ color: 'green', message });
      await invalidatePolicies(queryClient);
    },
    onError: (error) => notifications.show({ color: 'red', message: describeError(error) }),
  });
}

function DiffView({ versionId }: { versionId: string }) {
  const diff = useQuery(policyDiffQuery(versionId));
  if (diff.isPending) return <LoadingBlock label="Loading changes" />;
  if (diff.isError) return <QueryError error={diff.error} />;
  const { hunks, added, removed, from } = diff.data;
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {from ? `Compared with version ${from.number}` : 'First version'}: {added} lines added,{' '}
        {removed} removed
      </Text>
      {hunks.map((hunk) => (
        <Code block key={`${hunk.oldStart}-${hunk.newStart}`}>
          {hunk.lines.map((line, i) => (
            <div
              key={i}
              style={{
                background:
                  line.kind === 'added'
                    ? 'var(--mantine-color-green-light)'
                    : line.kind === 'removed'
                      ? 'var(--mantine-color-red-light)'
                      : undefined,
              }}
            >
              {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
              {line.text}
            </div>
          ))}
        </Code>
      ))}
    </Stack>
  );
}

function DocumentUpload({ versionId, hasFile }: { versionId: string; hasFile: boolean }) {
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const upload = useAction(
    (chosen: File) =>
      callMultipart(endpoints.attachPolicyVersionFile, {
        params: { versionId },
        fields: {},
        files: { file: chosen },
      }),
    'Document uploaded',
  );
  const remove = useAction(
    () => call(endpoints.removePolicyVersionFile, { params: { versionId } }),
    'Document removed; write the policy in Markdown',
  );
  return (
    <Stack gap="xs">
      <Group align="flex-end">
        <FileInput
          label={hasFile ? 'Replace the document' : 'Or upload the policy as a document'}
          description="PDF or Word (.docx) without macros; kept as evidence"
          placeholder="Choose a file"
          accept=".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
          value={file}
          onChange={(value) => {
            setFile(value);
            setError(null);
          }}
          error={error}
          clearable
          style={{ flex: 1, minWidth: 220 }}
        />
        <Button
          variant="light"
          disabled={file === null}
          loading={upload.isPending}
          onClick={() => {
            if (!file) return;
            upload.mutate(file, {
              onSuccess: () => setFile(null),
              onError: (e) => setError(describeError(e)),
            });
          }}
        >
          Upload
        </Button>
        {hasFile ? (
          <Button
            variant="subtle"
            color="red"
            loading={remove.isPending}
            onClick={() => remove.mutate()}
          >
            Remove document
          </Button>
        ) : null}
      </Group>
    </Stack>
  );
}

function VersionPanel({ versionId, approverIds }: { versionId: string; approverIds: string[] }) {
  const version = useQuery(policyVersionQuery(versionId));
  const me = useMe();
  const canManage = useCan('policies.manage');
  const canApprove = useCan('policies.approve');
  const [edited, setEdited] = useState<{ body: string; summary: string } | null>(null);
  const [isMaterial, setIsMaterial] = useState(true);
  const [view, setView] = useState('read');
  const save = useAction(
    (draft: { body: string; changeSummary: string }) =>
      call(endpoints.updatePolicyVersion, { params: { versionId }, body: draft }),
    'Draft saved',
  );
  const submit = useAction(
    () => call(endpoints.submitPolicyVersion, { params: { versionId } }),
    'Submitted for review',
  );
  const approve = useAction(
    () => call(endpoints.approvePolicyVersion, { params: { versionId }, body: { isMaterial } }),
    'Approved',
  );
  const publish = useAction(
    () => call(endpoints.publishPolicyVersion, { params: { versionId } }),
    'Published',
  );
  if (version.isPending) return <LoadingBlock label="Loading version" />;
  if (version.isError) return <QueryError error={version.error} />;
  const v = version.data;
  // The draft as edited here, or as stored until the first keystroke.
  const body = edited?.body ?? v.body;
  const summary = edited?.summary ?? v.changeSummary;
  const setBody = (value: string) => setEdited({ body: value, summary });
  const setSummary = (value: string) => setEdited({ body, summary: value });
  const isDraft = v.status === 'draft';
  const isMyTurn = v.status === 'in_review' && approverIds[v.approvals.length] === me.user.id;
  return (
    <Stack>
      <Group gap="xs">
        <Badge>{v.status.replace('_', ' ')}</Badge>
        {v.isMaterial === null ? null : (
          <Badge variant="light">{v.isMaterial ? 'Material change' : 'Minor change'}</Badge>
        )}
        {v.approvals.map((a) => (
          <Text key={a.userId} size="xs" c="dimmed">
            Approved by {a.name} on {a.approvedAt.slice(0, 10)}
          </Text>
        ))}
      </Group>
      <SegmentedControl
        value={view}
        onChange={setView}
        data={[
          { value: 'read', label: isDraft && canManage ? 'Edit' : 'Read' },
          { value: 'preview', label: 'Preview' },
          { value: 'diff', label: 'Changes' },
        ]}
      />
      {view === 'diff' ? <DiffView versionId={versionId} /> : null}
      {view !== 'diff' && v.file ? (
        <PolicyDocument file={v.file} versionId={versionId} audience="reader" />
      ) : null}
      {view === 'read' && isDraft && canManage && v.file ? (
        <Stack>
          <DocumentUpload versionId={versionId} hasFile />
          <Group>
            <Button loading={submit.isPending} onClick={() => submit.mutate()}>
              Submit for review
            </Button>
          </Group>
        </Stack>
      ) : null}
      {view === 'preview' && !v.file ? <MarkdownView source={isDraft ? body : v.body} /> : null}
      {view === 'read' && isDraft && canManage && !v.file ? (
        <Stack>
          <TextInput
            label="Change summary"
            value={summary}
            onChange={(e) => setSummary(e.currentTarget.value)}
          />
          <Textarea
            label="Policy (Markdown)"
            autosize
            minRows={12}
            maxRows={40}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <Group>
            <Button
              variant="light"
              loading={save.isPending}
              onClick={() => save.mutate({ body, changeSummary: summary })}
            >
              Save draft
            </Button>
            <Button loading={submit.isPending} onClick={() => submit.mutate()}>
              Submit for review
            </Button>
          </Group>
          <DocumentUpload versionId={versionId} hasFile={false} />
        </Stack>
      ) : null}
      {view === 'read' && !(isDraft && canManage) && !v.file ? (
        <MarkdownView source={v.body} />
      ) : null}
      {isMyTurn && canApprove ? (
        <Group>
          <Switch
            label="Material change: everyone must acknowledge again"
            checked={isMaterial}
            onChange={(e) => setIsMaterial(e.currentTarget.checked)}
          />
          <Button loading={approve.isPending} onClick={() => approve.mutate()}>
            Approve
          </Button>
        </Group>
      ) : null}
      {v.status === 'approved' && canManage ? (
        <Group>
          <Button loading={publish.isPending} onClick={() => publish.mutate()}>
            Publish
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

function PolicyContent({ policyId }: { policyId: string }) {
  const policy = useQuery(policyQuery(policyId));
  const canManage = useCan('policies.manage');
  const [selected, setSelected] = useState<string | null>(null);
  const newVersion = useAction(
    () => call(endpoints.createPolicyVersion, { params: { id: policyId }, body: {} }),
    'New draft started',
  );
  const review = useAction(
    () =>
      call(endpoints.reviewPolicy, {
        params: { id: policyId },
        body: { note: 'Reviewed; no change needed' },
      }),
    'Review recorded',
  );
  if (policy.isPending) return <LoadingBlock label="Loading policy" />;
  if (policy.isError)
    return <QueryError error={policy.error} onRetry={() => void policy.refetch()} />;
  const { policy: p, versions, reviews } = policy.data;
  const current = selected ?? p.pending?.id ?? p.published?.id ?? versions[0]?.id ?? null;
  return (
    <>
      <PageHeader
        title={p.title}
        description={`Owner: ${p.owner?.name ?? 'none'} · approvers: ${
          p.approvers.map((a) => a.name).join(', ') || 'none'
        } · next review ${p.nextReviewOn ?? 'after publication'}`}
        actions={
          canManage && !p.retiredAt ? (
            <>
              {p.pending ? null : (
                <Button
                  variant="light"
                  loading={newVersion.isPending}
                  onClick={() => newVersion.mutate()}
                >
                  New version
                </Button>
              )}
              {p.published ? (
                <Button variant="light" loading={review.isPending} onClick={() => review.mutate()}>
                  Reviewed, no change
                </Button>
              ) : null}
            </>
          ) : null
        }
      />
      <Group mb="md" gap="md">
        <Text size="sm">
          Acknowledged: {p.coverage.percent}% ({p.coverage.acknowledged} of {p.coverage.requested}
          {p.coverage.overdue > 0 ? `, ${p.coverage.overdue} overdue` : ''})
        </Text>
        {p.isReviewOverdue ? <Badge color="red">Review overdue</Badge> : null}
        {p.controls.map((c) => (
          <Badge key={c.id} variant="outline">
            {c.ref}
          </Badge>
        ))}
      </Group>
      <Tabs value={current} onChange={setSelected} mb="md">
        <Tabs.List>
          {versions.map((v) => (
            <Tabs.Tab key={v.id} value={v.id}>
              v{v.number} · {v.status.replace('_', ' ')}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      {current ? (
        <VersionPanel
          key={current}
          versionId={current}
          approverIds={p.approvers.map((a) => a.id)}
        />
      ) : null}
      {reviews.length > 0 ? (
        <Stack mt="xl" gap="xs">
          <Title order={2} size="h4">
            Reviews
          </Title>
          <Table>
            <Table.Tbody>
              {reviews.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.reviewedOn}</Table.Td>
                  <Table.Td>{r.reviewer?.name ?? '—'}</Table.Td>
                  <Table.Td>
                    {r.outcome === 'no_change' ? 'Reviewed, no change' : 'New version'}
                  </Table.Td>
                  <Table.Td>{r.note}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      ) : null}
    </>
  );
}

/** One policy: versions with editor, preview and diff, approval and publication, reviews. */
export function PolicyDetailPage({ policyId }: { policyId: string }) {
  return (
    <RequirePermission permission="policies.read" title="Policy">
      <PolicyContent policyId={policyId} />
    </RequirePermission>
  );
}
