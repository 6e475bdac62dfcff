import { Alert, Button, Group, Modal, NumberInput, Stack, Text } from '@mantine/core';
import { endpoints } from '@steward/contracts';
import type { oscalImportResultSchema } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { SubmitEvent } from 'react';
import type { z } from 'zod';
import { FileField } from '../../components/file-field.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { ApiError, callMultipart } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { invalidateProgram } from '../dashboard/program-cache.ts';
import { ButtonLink } from '../../components/router-links.tsx';

type ImportResult = z.output<typeof oscalImportResultSchema>;

function fieldErrorOf(error: unknown, path: string): string | null {
  if (!(error instanceof ApiError)) return null;
  return error.fieldErrors.find((e) => e.path === path)?.message ?? null;
}

function ImportForm({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [catalog, setCatalog] = useState<File | null>(null);
  const [profile, setProfile] = useState<File | null>(null);
  const [threshold, setThreshold] = useState<number | string>(0);
  const [missing, setMissing] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const importCatalog = useMutation({
    mutationFn: () =>
      callMultipart(endpoints.importOscalCatalog, {
        fields: { autoMapThreshold: Number(threshold) || 0 },
        files: { catalog, profile },
      }),
    onSuccess: async (imported) => {
      setResult(imported);
      await invalidateProgram(queryClient);
    },
  });

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!catalog) {
      setMissing('Choose the catalog file (OSCAL JSON)');
      return;
    }
    setMissing(null);
    importCatalog.mutate();
  };

  if (result) {
    return (
      <Stack>
        <Alert color="green" title="Catalog imported">
          <Text size="sm">
            {result.framework.name} {result.framework.version}: {result.requirementCount}{' '}
            requirements, {result.mappedRequirementCount} mapped to controls, in{' '}
            {Math.round(result.durationMs)} ms.
          </Text>
        </Alert>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <ButtonLink
            to="/frameworks/$frameworkId"
            params={{ frameworkId: result.framework.id }}
            onClick={onClose}
          >
            Open the framework
          </ButtonLink>
        </Group>
      </Stack>
    );
  }

  const error = importCatalog.error;
  const catalogError = fieldErrorOf(error, 'catalog');
  const profileError = fieldErrorOf(error, 'profile');
  const thresholdError = fieldErrorOf(error, 'autoMapThreshold');
  const generalError =
    error && !catalogError && !profileError && !thresholdError ? describeError(error) : null;

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          Load any OSCAL catalog (JSON, 1.0 or 1.1) as a framework. Add a profile to keep only the
          controls it selects; the profile must import this catalog. Nothing is imported if either
          file has a problem.
        </Text>
        <FormAlert message={generalError} />
        <FileField
          label="Catalog"
          description="An OSCAL catalog in JSON, e.g. a NIST SP 800-53 resolved catalog"
          accept=".json,application/json"
          required
          error={missing ?? catalogError}
          onChange={(file) => {
            setCatalog(file);
            setMissing(null);
          }}
        />
        <FileField
          label="Profile (optional)"
          description="An OSCAL profile that narrows the catalog"
          accept=".json,application/json"
          error={profileError}
          onChange={setProfile}
        />
        <NumberInput
          label="Map to existing controls above this similarity"
          description="0 leaves every requirement unmapped; 0.3 is a cautious start"
          min={0}
          max={1}
          step={0.05}
          decimalScale={2}
          value={threshold}
          onChange={setThreshold}
          error={thresholdError}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={importCatalog.isPending}>
            Import catalog
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Import an OSCAL catalog (and optional profile) as a framework, showing the result or error. */
export function ImportOscalModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Import an OSCAL catalog" centered size="lg">
      {opened ? <ImportForm onClose={onClose} /> : null}
    </Modal>
  );
}
