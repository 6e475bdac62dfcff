import { NativeSelect, SimpleGrid, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import {
  endpoints,
  riskTreatments,
  suggestedRiskCategories,
  type BodyOf,
  type ResponseOf,
} from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormFrame } from '../../components/form-frame.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { usersQuery } from '../users/users-queries.ts';
import { impactLabels, likelihoodLabels } from './risk-filters.ts';
import { invalidateRisks } from './risks-queries.ts';

type RiskDetail = ResponseOf<typeof endpoints.getRisk>;

interface RiskFormValues {
  title: string;
  description: string;
  category: string;
  ownerUserId: string;
  inherentLikelihood: string;
  inherentImpact: string;
  treatment: string;
  treatmentPlan: string;
  treatmentDueOn: string;
  treatmentCompletedOn: string;
  residualLikelihood: string;
  residualImpact: string;
  reviewOn: string;
  note: string;
}

/** Labels of the treatments. */
export const treatmentLabels: Record<string, string> = {
  mitigate: 'Mitigate',
  accept: 'Accept',
  transfer: 'Transfer',
  avoid: 'Avoid',
};

function valuesOf(risk: RiskDetail | undefined): RiskFormValues {
  const text = (v: number | string | null | undefined) =>
    v === null || v === undefined ? '' : String(v);
  return {
    title: risk?.title ?? '',
    description: risk?.description ?? '',
    category: risk?.category ?? '',
    ownerUserId: risk?.owner?.id ?? '',
    inherentLikelihood: text(risk?.inherentLikelihood),
    inherentImpact: text(risk?.inherentImpact),
    treatment: risk?.treatment ?? 'mitigate',
    treatmentPlan: risk?.treatmentPlan ?? '',
    treatmentDueOn: text(risk?.treatmentDueOn),
    treatmentCompletedOn: text(risk?.treatmentCompletedOn),
    residualLikelihood: text(risk?.residualLikelihood),
    residualImpact: text(risk?.residualImpact),
    reviewOn: text(risk?.reviewOn),
    note: '',
  };
}

const numberOrNull = (v: string) => (v === '' ? null : Number(v));
const numberOrOmit = (v: string) => (v === '' ? undefined : Number(v));

function ratingOptions(labels: readonly string[], empty: string) {
  return [
    { value: '', label: empty },
    ...labels.map((label, i) => ({ value: String(i + 1), label: `${String(i + 1)} — ${label}` })),
  ];
}

interface RiskFormProps {
  /** The risk to edit; a new risk when absent. */
  risk?: RiskDetail;
  onSaved: (risk: RiskDetail) => void;
  onCancel: () => void;
}

/** Create or edit a risk; the server's field errors are shown next to their inputs. */
export function RiskForm({ risk, onSaved, onCancel }: RiskFormProps) {
  const queryClient = useQueryClient();
  const users = useQuery(usersQuery);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<RiskFormValues>({ mode: 'uncontrolled', initialValues: valuesOf(risk) });
  const isEdit = risk !== undefined;

  const save = useMutation({
    mutationFn: (v: RiskFormValues) => {
      const common = {
        title: v.title,
        description: v.description,
        category: v.category,
        ownerUserId: v.ownerUserId === '' ? null : v.ownerUserId,
        treatment: v.treatment as (typeof riskTreatments)[number],
        treatmentPlan: v.treatmentPlan,
        treatmentDueOn: v.treatmentDueOn === '' ? null : v.treatmentDueOn,
        residualLikelihood: numberOrNull(v.residualLikelihood),
        residualImpact: numberOrNull(v.residualImpact),
      };
      if (risk) {
        return call(endpoints.updateRisk, {
          params: { id: risk.id },
          body: {
            ...common,
            inherentLikelihood: numberOrOmit(v.inherentLikelihood),
            inherentImpact: numberOrOmit(v.inherentImpact),
            treatmentCompletedOn: v.treatmentCompletedOn === '' ? null : v.treatmentCompletedOn,
            ...(v.reviewOn === '' ? {} : { reviewOn: v.reviewOn }),
            ...(v.note.trim() === '' ? {} : { note: v.note }),
          },
        });
      }
      return call(endpoints.createRisk, {
        body: {
          ...common,
          ...(v.inherentLikelihood === ''
            ? {}
            : { inherentLikelihood: Number(v.inherentLikelihood) }),
          ...(v.inherentImpact === '' ? {} : { inherentImpact: Number(v.inherentImpact) }),
          ...(v.reviewOn === '' ? {} : { reviewOn: v.reviewOn }),
          // The cast lets a missing rating through to the server, which names the field.
        } as BodyOf<typeof endpoints.createRisk>,
      });
    },
    onSuccess: async (saved) => {
      await invalidateRisks(queryClient);
      onSaved(saved);
    },
    onError: (error) => setFormError(applyErrorToForm(form, error)),
  });

  const ownerOptions = [
    { value: '', label: 'No owner' },
    ...(users.data?.items ?? [])
      .filter((u) => u.status !== 'disabled' || u.id === risk?.owner?.id)
      .map((u) => ({ value: u.id, label: `${u.name} (${u.email})` })),
  ];

  return (
    <FormFrame
      onSubmit={form.onSubmit((values) => {
        setFormError(null);
        save.mutate(values);
      })}
      error={formError}
      onCancel={onCancel}
      submitLabel={isEdit ? 'Save changes' : 'Add risk'}
      isPending={save.isPending}
    >
      <TextInput label="Title" required key={form.key('title')} {...form.getInputProps('title')} />
      <Textarea
        label="Description"
        description="What could happen, to what, and why it matters"
        autosize
        minRows={3}
        key={form.key('description')}
        {...form.getInputProps('description')}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label="Category"
          required
          list="risk-categories"
          key={form.key('category')}
          {...form.getInputProps('category')}
        />
        <NativeSelect
          label="Owner"
          data={ownerOptions}
          key={form.key('ownerUserId')}
          {...form.getInputProps('ownerUserId')}
        />
      </SimpleGrid>
      <datalist id="risk-categories">
        {suggestedRiskCategories.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <Title order={3} size="h5">
        Inherent rating (before controls)
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NativeSelect
          label="Inherent likelihood"
          required
          data={ratingOptions(likelihoodLabels, 'Choose 1 to 5')}
          key={form.key('inherentLikelihood')}
          {...form.getInputProps('inherentLikelihood')}
        />
        <NativeSelect
          label="Inherent impact"
          required
          data={ratingOptions(impactLabels, 'Choose 1 to 5')}
          key={form.key('inherentImpact')}
          {...form.getInputProps('inherentImpact')}
        />
      </SimpleGrid>
      <Title order={3} size="h5">
        Treatment
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NativeSelect
          label="Treatment"
          data={riskTreatments.map((t) => ({ value: t, label: treatmentLabels[t] ?? t }))}
          key={form.key('treatment')}
          {...form.getInputProps('treatment')}
        />
        <TextInput
          label="Treatment due"
          type="date"
          key={form.key('treatmentDueOn')}
          {...form.getInputProps('treatmentDueOn')}
        />
        {isEdit ? (
          <TextInput
            label="Treatment completed"
            type="date"
            key={form.key('treatmentCompletedOn')}
            {...form.getInputProps('treatmentCompletedOn')}
          />
        ) : null}
        <TextInput
          label="Next review"
          type="date"
          description={isEdit ? undefined : 'By default, a review cadence from today'}
          key={form.key('reviewOn')}
          {...form.getInputProps('reviewOn')}
        />
      </SimpleGrid>
      <Textarea
        label="Treatment plan"
        autosize
        minRows={2}
        key={form.key('treatmentPlan')}
        {...form.getInputProps('treatmentPlan')}
      />
      <Title order={3} size="h5">
        Residual rating (after treatment)
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NativeSelect
          label="Residual likelihood"
          data={ratingOptions(likelihoodLabels, 'Not rated yet')}
          key={form.key('residualLikelihood')}
          {...form.getInputProps('residualLikelihood')}
        />
        <NativeSelect
          label="Residual impact"
          data={ratingOptions(impactLabels, 'Not rated yet')}
          key={form.key('residualImpact')}
          {...form.getInputProps('residualImpact')}
        />
      </SimpleGrid>
      {isEdit ? (
        <TextInput
          label="Reason for the change"
          description="Kept in the risk's history"
          key={form.key('note')}
          {...form.getInputProps('note')}
        />
      ) : null}
    </FormFrame>
  );
}
