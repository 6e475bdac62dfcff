import {
  ActionIcon,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { employmentTypes, endpoints, type ResponseOf } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormAlert } from '../../components/form-alert.tsx';
import { ApiError, call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { invalidateScreening } from './screening-queries.ts';

type Settings = ResponseOf<typeof endpoints.getScreeningSettings>;

interface RuleRow {
  department: string;
  titleContains: string;
  employmentType: string | null;
}

function optional(value: string): string | undefined {
  return value.trim() === '' ? undefined : value.trim();
}

/** The org's screening rules: roles that require it, countries whose law does not permit it. */
export function ScreeningRulesForm({ settings }: { settings: Settings }) {
  const [isEveryone, setIsEveryone] = useState(settings.isRequiredForEveryone);
  const [rules, setRules] = useState<RuleRow[]>(() =>
    settings.roleRules.map((r) => ({
      department: r.department ?? '',
      titleContains: r.titleContains ?? '',
      employmentType: r.employmentType ?? null,
    })),
  );
  const [countries, setCountries] = useState(() =>
    settings.restrictedCountries.map((c) => ({ ...c })),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () =>
      call(endpoints.updateScreeningSettings, {
        body: {
          isRequiredForEveryone: isEveryone,
          roleRules: rules.map((r) => {
            const department = optional(r.department);
            const titleContains = optional(r.titleContains);
            return {
              ...(department === undefined ? {} : { department }),
              ...(titleContains === undefined ? {} : { titleContains }),
              ...(r.employmentType === null
                ? {}
                : {
                    employmentType: r.employmentType as (typeof employmentTypes)[number],
                  }),
            };
          }),
          restrictedCountries: countries,
        },
      }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Screening rules saved' });
      await invalidateScreening(queryClient);
    },
    onError: (error) => {
      const byField: Record<string, string> = {};
      if (error instanceof ApiError) {
        for (const e of error.fieldErrors) byField[e.path] ??= e.message;
      }
      setErrors(byField);
      // Field errors sit next to their inputs; the alert is for the rest.
      setFormError(
        error instanceof ApiError && error.fieldErrors.length > 0 ? null : describeError(error),
      );
    },
  });
  return (
    <Paper withBorder radius="md" p="md">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setErrors({});
          setFormError(null);
          save.mutate();
        }}
      >
        <Stack>
          <Title order={2} size="h3">
            Rules
          </Title>
          <FormAlert message={formError} />
          <Switch
            label="Everyone requires screening, whatever their role"
            checked={isEveryone}
            onChange={(e) => setIsEveryone(e.currentTarget.checked)}
          />
          <Text fw={500}>Roles that require screening</Text>
          <Text size="sm" c="dimmed">
            A person requires screening when every field of one rule matches (case-insensitive).
          </Text>
          {rules.map((rule, i) => (
            <Group key={i} align="flex-end" wrap="wrap">
              <TextInput
                label="Department"
                value={rule.department}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setRules((rs) => rs.map((r, j) => (j === i ? { ...r, department: value } : r)));
                }}
                error={errors[`roleRules.${String(i)}.department`]}
              />
              <TextInput
                label="Title contains"
                value={rule.titleContains}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setRules((rs) =>
                    rs.map((r, j) => (j === i ? { ...r, titleContains: value } : r)),
                  );
                }}
                error={errors[`roleRules.${String(i)}.titleContains`]}
              />
              <Select
                label="Employment type"
                clearable
                data={employmentTypes.map((t) => ({ value: t, label: t }))}
                value={rule.employmentType}
                onChange={(value) =>
                  setRules((rs) =>
                    rs.map((r, j) => (j === i ? { ...r, employmentType: value } : r)),
                  )
                }
                w={170}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                aria-label={`Remove rule ${String(i + 1)}`}
                onClick={() => setRules((rs) => rs.filter((_, j) => j !== i))}
              >
                ×
              </ActionIcon>
            </Group>
          ))}
          <Group>
            <Button
              variant="default"
              size="xs"
              onClick={() =>
                setRules((rs) => [
                  ...rs,
                  { department: '', titleContains: '', employmentType: null },
                ])
              }
            >
              Add a role rule
            </Button>
          </Group>
          <Text fw={500}>Countries where the law does not permit screening</Text>
          {countries.map((c, i) => (
            <Group key={i} align="flex-end" wrap="wrap">
              <TextInput
                label="Country"
                description="ISO code"
                maxLength={2}
                w={110}
                value={c.country}
                onChange={(e) => {
                  const value = e.currentTarget.value.toUpperCase();
                  setCountries((cs) => cs.map((x, j) => (j === i ? { ...x, country: value } : x)));
                }}
                error={errors[`restrictedCountries.${String(i)}.country`]}
              />
              <TextInput
                label="Legal reason"
                style={{ flex: '1 1 18rem' }}
                value={c.reason}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setCountries((cs) => cs.map((x, j) => (j === i ? { ...x, reason: value } : x)));
                }}
                error={errors[`restrictedCountries.${String(i)}.reason`]}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                aria-label={`Remove country ${c.country || String(i + 1)}`}
                onClick={() => setCountries((cs) => cs.filter((_, j) => j !== i))}
              >
                ×
              </ActionIcon>
            </Group>
          ))}
          <Group>
            <Button
              variant="default"
              size="xs"
              onClick={() => setCountries((cs) => [...cs, { country: '', reason: '' }])}
            >
              Add a country
            </Button>
          </Group>
          <Group>
            <Button type="submit" loading={save.isPending}>
              Save rules
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
