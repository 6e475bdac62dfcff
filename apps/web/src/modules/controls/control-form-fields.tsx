import { NativeSelect, Select, Textarea, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { implementationStatusSchema } from '@steward/contracts';
import { implementationOptions, useOwnerOptions, useSectionOptions } from './program-options.ts';

/** The editable fields of a control as the form holds them (selects hold strings). */
export interface ControlFormValues {
  ref: string;
  title: string;
  description: string;
  ownerId: string | null;
  section: string;
  implementationStatus: string;
}

/** The inputs shared by "New control" and "Edit control". */
export function ControlFormFields({ form }: { form: UseFormReturnType<ControlFormValues> }) {
  const sections = useSectionOptions();
  const owners = useOwnerOptions();
  return (
    <>
      <TextInput
        label="Reference"
        description="A short identifier such as AC-7; letters, digits, dots and dashes"
        required
        key={form.key('ref')}
        {...form.getInputProps('ref')}
      />
      <TextInput label="Title" required key={form.key('title')} {...form.getInputProps('title')} />
      <Textarea
        label="Description"
        description="What is done, by whom, and how it is proved"
        autosize
        minRows={3}
        maxRows={10}
        key={form.key('description')}
        {...form.getInputProps('description')}
      />
      <Select
        label="Owner"
        placeholder={owners.canList ? 'Nobody yet' : 'You cannot list people'}
        data={owners.options}
        searchable
        clearable
        disabled={!owners.canList}
        nothingFoundMessage="Nobody matches"
        key={form.key('ownerId')}
        {...form.getInputProps('ownerId')}
      />
      <NativeSelect
        label="Annex section"
        data={[{ value: '', label: 'No section' }, ...sections]}
        key={form.key('section')}
        {...form.getInputProps('section')}
      />
      <NativeSelect
        label="Implementation status"
        data={implementationOptions}
        key={form.key('implementationStatus')}
        {...form.getInputProps('implementationStatus')}
      />
    </>
  );
}

/** The API's body fields from the form's values. */
export function toControlBody(values: ControlFormValues) {
  return {
    ref: values.ref.trim(),
    title: values.title.trim(),
    description: values.description,
    ownerId: values.ownerId ?? null,
    section: values.section === '' ? null : Number(values.section),
    implementationStatus: implementationStatusSchema
      .catch('planned')
      .parse(values.implementationStatus),
  };
}
