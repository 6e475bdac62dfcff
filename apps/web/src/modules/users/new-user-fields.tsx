import { NativeSelect, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useMe } from '../../app/me-context.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { describeError } from '../../lib/form-errors.ts';
import { toRoleOptions } from '../../lib/role-options.ts';
import { rolesQuery } from './users-queries.ts';

interface NewUserFieldsProps<Values> {
  form: Pick<UseFormReturnType<Values>, 'key' | 'getInputProps'>;
  /** Whether the form is shown; the roles load only then. */
  opened: boolean;
  emailDescription?: string;
}

/** Name, email and role of a person being given an account, offering only roles the caller holds. */
export function NewUserFields<Values>({
  form,
  opened,
  emailDescription,
}: NewUserFieldsProps<Values>) {
  const me = useMe();
  const roles = useQuery({ ...rolesQuery, enabled: opened });
  const roleOptions = roles.data ? toRoleOptions(roles.data.items, me.permissions) : [];
  return (
    <>
      <FormAlert message={roles.isError ? describeError(roles.error) : null} />
      <TextInput
        label="Name"
        autoComplete="off"
        required
        key={form.key('name')}
        {...form.getInputProps('name')}
      />
      <TextInput
        label="Email"
        type="email"
        {...(emailDescription === undefined ? {} : { description: emailDescription })}
        autoComplete="off"
        required
        key={form.key('email')}
        {...form.getInputProps('email')}
      />
      <NativeSelect
        label="Role"
        description="What this person may see and do. You cannot grant more than you hold."
        data={roleOptions}
        disabled={!roles.data}
        required
        key={form.key('role')}
        {...form.getInputProps('role')}
      />
    </>
  );
}
