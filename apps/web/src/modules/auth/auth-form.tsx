import {
  Button,
  PasswordInput,
  Stack,
  TextInput,
  type PasswordInputProps,
  type TextInputProps,
} from '@mantine/core';
import { passwordLimits } from '@steward/contracts';
import type { ReactNode, SubmitEventHandler } from 'react';
import { FormAlert } from '../../components/form-alert.tsx';

interface AuthFormProps {
  onSubmit: SubmitEventHandler<HTMLFormElement>;
  error: string | null;
  submitLabel: string;
  isPending: boolean;
  /** What stands under the submit button: other ways in, links. */
  footer?: ReactNode;
  children: ReactNode;
}

/** A signed-out form: its error above the fields and one full-width submit button below them. */
export function AuthForm({
  onSubmit,
  error,
  submitLabel,
  isPending,
  footer,
  children,
}: AuthFormProps) {
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <FormAlert message={error} />
        {children}
        <Button type="submit" loading={isPending} fullWidth>
          {submitLabel}
        </Button>
        {footer}
      </Stack>
    </form>
  );
}

/** The email a person signs in with; takes the form's props for the field. */
export function SignInEmailInput(props: TextInputProps) {
  return <TextInput label="Email" type="email" autoComplete="username" required {...props} />;
}

/** The password a person chooses for a new account; takes the form's props for the field. */
export function NewAccountPasswordInput(props: PasswordInputProps) {
  return (
    <PasswordInput
      label="Password"
      description={`At least ${passwordLimits.min} characters. A long passphrase is easiest to remember.`}
      autoComplete="new-password"
      required
      {...props}
    />
  );
}
