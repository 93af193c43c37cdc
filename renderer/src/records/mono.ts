/**
 * The monospace look for keys, IDs and pasted key material, in inputs and in the record view.
 *
 * At 14px Chromium on Linux draws no underscore in DejaVu Sans Mono (the usual `monospace`
 * there) inside an input, so `pk_test_alice123` reads "pk test alice123"; more line-height or
 * padding does not bring it back, while 13px and 15px draw it at every line-height tried. 13px
 * also matches the optical size of the 14px sans-serif text around it.
 */
export const MONO_STYLE = {
  fontFamily: 'var(--mantine-font-family-monospace)',
  fontSize: '0.8125rem',
} as const;

/** `styles` for a Mantine input whose value is machine text. */
export const MONO_INPUT_STYLES = { input: MONO_STYLE } as const;
