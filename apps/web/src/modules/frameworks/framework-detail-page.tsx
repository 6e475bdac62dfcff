import {
  Accordion,
  Badge,
  Button,
  Checkbox,
  Group,
  Spoiler,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import type { Framework, Requirement } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useDeferredValue, useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { ReadinessBar } from '../../components/readiness-bar.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { ControlStatusBadge } from '../../components/status-badges.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { invalidateProgram } from '../dashboard/program-cache.ts';
import { frameworkQuery } from './frameworks-queries.ts';
import { ReferenceMappings } from './reference-mappings.tsx';
import { RequirementControlsModal } from './requirement-controls-modal.tsx';
import { AnchorLink } from '../../components/router-links.tsx';

interface RequirementGroup {
  key: string;
  title: string;
  requirements: Requirement[];
}

function groupRequirements(requirements: readonly Requirement[]): RequirementGroup[] {
  const groups = new Map<string, RequirementGroup>();
  for (const requirement of requirements) {
    const title =
      requirement.groupTitle ??
      (requirement.section === null ? 'Other requirements' : `Section ${requirement.section}`);
    const key = requirement.section === null ? title : `${requirement.section}. ${title}`;
    const group = groups.get(key) ?? { key, title: key, requirements: [] };
    group.requirements.push(requirement);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function matches(requirement: Requirement, text: string): boolean {
  if (!text) return true;
  const haystack =
    `${requirement.ref} ${requirement.label} ${requirement.title} ${requirement.body}`.toLowerCase();
  return haystack.includes(text.toLowerCase());
}

function RequirementItem({
  requirement,
  onEdit,
}: {
  requirement: Requirement;
  onEdit: ((requirement: Requirement) => void) | null;
}) {
  return (
    <Stack gap={6} py="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <Text fw={600} size="sm" id={`requirement-${requirement.id}`}>
          {requirement.label || requirement.ref} {requirement.title}
        </Text>
        {onEdit ? (
          <Button
            size="xs"
            variant="default"
            onClick={() => onEdit(requirement)}
            aria-describedby={`requirement-${requirement.id}`}
            style={{ flexShrink: 0 }}
          >
            Edit controls
          </Button>
        ) : null}
      </Group>
      {requirement.body ? (
        <Spoiler maxHeight={60} showLabel="Show more" hideLabel="Show less">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {requirement.body}
          </Text>
        </Spoiler>
      ) : null}
      {requirement.guidance ? (
        <Text size="xs" c="dimmed">
          Proof: {requirement.guidance}
        </Text>
      ) : null}
      <ReferenceMappings mappings={requirement.mappings} empty="" />
      {requirement.controls.length === 0 ? (
        <Badge color="orange" variant="light" tt="none" w="fit-content">
          No control mapped
        </Badge>
      ) : (
        <Group gap="xs">
          {requirement.controls.map((control) => (
            <Group key={control.id} gap={4} wrap="nowrap">
              <AnchorLink to="/controls/$controlId" params={{ controlId: control.id }} size="sm">
                {control.ref}
              </AnchorLink>
              <ControlStatusBadge status={control.status} size="xs" />
            </Group>
          ))}
        </Group>
      )}
    </Stack>
  );
}

function DeleteFrameworkButton({ framework }: { framework: Framework }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [isOpen, { open, close }] = useDisclosure(false);
  const remove = useMutation({
    mutationFn: () => call(endpoints.deleteFramework, { params: { id: framework.id } }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: `${framework.name} removed` });
      close();
      await invalidateProgram(queryClient);
      await navigate({ to: '/frameworks' });
    },
  });
  return (
    <>
      <Button color="red" variant="light" onClick={open}>
        Remove framework
      </Button>
      <ConfirmModal
        opened={isOpen}
        title={`Remove ${framework.name}?`}
        confirmLabel="Remove framework"
        isPending={remove.isPending}
        error={remove.isError ? describeError(remove.error) : null}
        onConfirm={() => remove.mutate()}
        onClose={close}
      >
        Its {framework.requirementCount} requirements and their mappings to controls are removed.
        The controls themselves stay.
      </ConfirmModal>
    </>
  );
}

function FrameworkDetailContent({ frameworkId }: { frameworkId: string }) {
  const canManage = useCan('program.manage');
  const detail = useQuery(frameworkQuery(frameworkId));
  const [search, setSearch] = useState('');
  const [onlyUnmapped, setOnlyUnmapped] = useState(false);
  const [openGroups, setOpenGroups] = useState<string[] | null>(null);
  const [editing, setEditing] = useState<Requirement | null>(null);
  const deferredSearch = useDeferredValue(search.trim());

  if (detail.isPending) return <LoadingBlock label="Loading the framework" />;
  if (detail.isError) {
    return (
      <>
        <PageHeader title="Framework" />
        <QueryError
          error={detail.error}
          title="Could not load this framework"
          onRetry={() => void detail.refetch()}
        />
      </>
    );
  }
  const { framework, requirements } = detail.data;
  const visible = requirements.filter(
    (r) => matches(r, deferredSearch) && (!onlyUnmapped || r.controls.length === 0),
  );
  const groups = groupRequirements(visible);
  const isFiltering = deferredSearch !== '' || onlyUnmapped;
  // While filtering, every group with a match opens; otherwise the reader chooses.
  const expanded = isFiltering
    ? groups.map((g) => g.key)
    : (openGroups ?? groups.slice(0, 1).map((g) => g.key));

  return (
    <>
      <AnchorLink to="/frameworks" size="sm">
        ← Frameworks
      </AnchorLink>
      <PageHeader
        title={framework.name}
        description={
          framework.description || (framework.version ? `Version ${framework.version}` : undefined)
        }
        actions={
          canManage && framework.source === 'oscal' ? (
            <DeleteFrameworkButton framework={framework} />
          ) : null
        }
      />
      <Stack gap="lg">
        <Group grow align="flex-start">
          <ReadinessBar
            name={`${framework.name} readiness`}
            label="Controls passing"
            readiness={framework.readiness}
          />
          <ReadinessBar
            name="Requirements mapped"
            label="Requirements mapped to controls"
            countedAs="mapped"
            readiness={{
              passing: framework.mappedRequirementCount,
              total: framework.requirementCount,
              percent:
                framework.requirementCount === 0
                  ? 0
                  : Math.round(
                      (framework.mappedRequirementCount / framework.requirementCount) * 1000,
                    ) / 10,
            }}
          />
        </Group>
        <Group align="flex-end" gap="md">
          <TextInput
            label="Find a requirement"
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
            w={320}
          />
          <Checkbox
            label="Only requirements without a control"
            checked={onlyUnmapped}
            onChange={(event) => setOnlyUnmapped(event.currentTarget.checked)}
            mb={8}
          />
        </Group>
        <Text size="sm" c="dimmed" aria-live="polite">
          {isFiltering
            ? `${visible.length} of ${requirements.length} requirements match`
            : `${requirements.length} requirements in ${groups.length} groups`}
        </Text>
        <Accordion
          multiple
          variant="separated"
          value={expanded}
          onChange={(value) => setOpenGroups(value)}
        >
          {groups.map((group) => {
            const mapped = group.requirements.filter((r) => r.controls.length > 0).length;
            return (
              <Accordion.Item key={group.key} value={group.key}>
                <Accordion.Control>
                  <Group justify="space-between" wrap="nowrap" pr="sm">
                    <Text fw={500}>{group.title}</Text>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {mapped}/{group.requirements.length} mapped
                    </Text>
                  </Group>
                </Accordion.Control>
                <Accordion.Panel>
                  {/* Only open groups render their requirements: catalogs hold hundreds. */}
                  {expanded.includes(group.key)
                    ? group.requirements.map((requirement) => (
                        <RequirementItem
                          key={requirement.id}
                          requirement={requirement}
                          onEdit={canManage ? setEditing : null}
                        />
                      ))
                    : null}
                </Accordion.Panel>
              </Accordion.Item>
            );
          })}
        </Accordion>
      </Stack>
      {canManage ? (
        <RequirementControlsModal requirement={editing} onClose={() => setEditing(null)} />
      ) : null}
    </>
  );
}

/** `/frameworks/:id`: a framework's requirements by group, with the controls mapped to each. */
export function FrameworkDetailPage({ frameworkId }: { frameworkId: string }) {
  return (
    <RequirePermission permission="program.read" title="Framework">
      <FrameworkDetailContent frameworkId={frameworkId} />
    </RequirePermission>
  );
}
