import { Modal, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { SubmitEvent } from 'react';
import { FileField } from '../../components/file-field.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { FormActions } from '../../components/form-frame.tsx';
import { ApiError, callMultipart } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { invalidateProgram } from '../dashboard/program-cache.ts';

function fieldErrorOf(error: unknown, path: string): string | null {
  if (!(error instanceof ApiError)) return null;
  return error.fieldErrors.find((e) => e.path === path)?.message ?? null;
}

function ImportAnnexForm({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [source, setSource] = useState<'paste' | 'upload'>('paste');
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const importAnnex = useMutation({
    mutationFn: () =>
      callMultipart(endpoints.importAnnex, {
        fields: { name: name.trim(), text: source === 'paste' ? text : undefined },
        files: { file: source === 'upload' ? file : null },
      }),
    onSuccess: async (detail) => {
      notifications.show({
        color: 'green',
        message: `${detail.annex.name}: ${detail.promises.length} promises found. Confirm their controls next.`,
      });
      onClose();
      await invalidateProgram(queryClient);
      await navigate({ to: '/promises/$annexId', params: { annexId: detail.annex.id } });
    },
  });

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!name.trim()) errors.name = 'Enter a name';
    if (source === 'paste' && !text.trim()) errors.text = 'Paste the annex text';
    if (source === 'upload' && !file) errors.file = 'Choose a Markdown or text file';
    setLocalErrors(errors);
    if (Object.keys(errors).length === 0) importAnnex.mutate();
  };

  const error = importAnnex.error;
  const errorOf = (path: string) => localErrors[path] ?? fieldErrorOf(error, path);
  const hasFieldError = ['name', 'text', 'file'].some((path) => fieldErrorOf(error, path));

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          Steward splits the annex into promises (one per bullet or commitment) and suggests the
          controls each maps to. You confirm the mapping afterwards.
        </Text>
        <FormAlert message={error && !hasFieldError ? describeError(error) : null} />
        <TextInput
          label="Name"
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={errorOf('name')}
          required
        />
        <SegmentedControl
          aria-label="How to provide the annex"
          value={source}
          onChange={(value) => setSource(value === 'upload' ? 'upload' : 'paste')}
          data={[
            { value: 'paste', label: 'Paste text' },
            { value: 'upload', label: 'Upload a file' },
          ]}
        />
        {source === 'paste' ? (
          <Textarea
            label="Annex text"
            description="Markdown or plain text, with numbered sections and bullets"
            autosize
            minRows={8}
            maxRows={18}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            error={errorOf('text')}
          />
        ) : (
          <FileField
            label="Annex file"
            description="Markdown (.md) or plain text (.txt)"
            accept=".md,.markdown,.txt,text/markdown,text/plain"
            error={errorOf('file')}
            onChange={setFile}
          />
        )}
        <FormActions
          onCancel={onClose}
          submitLabel="Import annex"
          isPending={importAnnex.isPending}
        />
      </Stack>
    </form>
  );
}

/** Paste or upload a security annex; it opens with its promises and suggested controls. */
export function ImportAnnexModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Import a security annex" centered size="lg">
      {opened ? <ImportAnnexForm onClose={onClose} /> : null}
    </Modal>
  );
}
