import { createTheme, NativeSelect, NumberInput, PasswordInput, TextInput } from '@mantine/core';

// Every field marked `required` is required, so the asterisk adds noise and would also become
// part of the label text that assistive tools match on.
const noAsterisk = { defaultProps: { withAsterisk: false } };

/** Steward's look: Mantine defaults with system fonts (the CSP allows no font CDN). */
export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'md',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  headings: { fontWeight: '650' },
  components: {
    TextInput: TextInput.extend(noAsterisk),
    NativeSelect: NativeSelect.extend(noAsterisk),
    NumberInput: NumberInput.extend(noAsterisk),
    PasswordInput: PasswordInput.extend({
      defaultProps: {
        withAsterisk: false,
        visibilityToggleButtonProps: { 'aria-label': 'Show or hide the characters' },
      },
    }),
  },
});
