import { Input } from '@mantine/core';
import { useId } from 'react';

interface FileFieldProps {
  label: string;
  description?: string;
  error?: string | null | undefined;
  accept?: string;
  required?: boolean;
  /** Change the key to clear the chosen file. */
  onChange: (file: File | null) => void;
}

/**
 * A labelled native file input: the platform's picker is keyboard- and screen-reader-friendly
 * and lets tests attach files by label.
 */
export function FileField({
  label,
  description,
  error,
  accept,
  required,
  onChange,
}: FileFieldProps) {
  const id = useId();
  const descriptionId = description ? `${id}-description` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <Input.Wrapper
      id={id}
      label={label}
      description={description}
      error={error}
      descriptionProps={{ id: descriptionId }}
      errorProps={{ id: errorId }}
    >
      <input
        id={id}
        type="file"
        accept={accept}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={[descriptionId, errorId].filter(Boolean).join(' ') || undefined}
        style={{ display: 'block', marginTop: 4, maxWidth: '100%', fontSize: 14 }}
        onChange={(event) => onChange(event.currentTarget.files?.[0] ?? null)}
      />
    </Input.Wrapper>
  );
}
