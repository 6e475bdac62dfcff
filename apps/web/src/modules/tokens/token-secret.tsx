import { Alert, Button, CopyButton, Group, Stack, Text, TextInput } from '@mantine/core';

interface TokenSecretProps {
  secret: string;
  onDone: () => void;
}

/** The token's secret, shown once, with a copy button and a warning. */
export function TokenSecret({ secret, onDone }: TokenSecretProps) {
  return (
    <Stack>
      <Alert color="yellow" title="Copy this token now">
        <Text size="sm">
          This is the only time the secret is shown. Steward keeps only a hash of it. Store it in
          your secret manager; if it is lost, revoke it and create a new one.
        </Text>
      </Alert>
      <TextInput
        label="Token secret"
        value={secret}
        readOnly
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        onFocus={(event) => event.currentTarget.select()}
      />
      <Group justify="flex-end">
        <CopyButton value={secret}>
          {({ copied, copy }) => (
            <Button variant="light" color={copied ? 'green' : 'blue'} onClick={copy}>
              {copied ? 'Copied' : 'Copy token'}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
}
