import {
  PasswordInput,
  TextInput,
  Textarea,
  type PasswordInputProps,
  type TextInputProps,
  type TextareaProps,
} from '@mantine/core';
import type { ChangeEvent, ReactNode } from 'react';
import { cutText, limitNotice } from './text-limits.ts';

/**
 * A Mantine text box that never holds more than `max` code units (text-limits.ts): `maxLength`
 * stops typing and pasting there, and a value set by script is cut before anyone sees it, so
 * what the box reports can never be unbounded. At the limit the box says so.
 */
type Capped<P> = Omit<P, 'value' | 'onChange' | 'maxLength'> & {
  readonly value: string;
  readonly max: number;
  /** The new text, already cut to `max`. */
  readonly onText: (text: string) => void;
  readonly error?: ReactNode;
};

type Element = HTMLInputElement | HTMLTextAreaElement;

function cappedProps<P>({ value, max, onText, error, ...rest }: Capped<P>) {
  return {
    ...rest,
    value,
    maxLength: max,
    // A problem the form found comes first; the limit is said while there is nothing else.
    error: error ?? limitNotice(value, max),
    onChange: (event: ChangeEvent<Element>) => onText(cutText(event.currentTarget.value, max)),
  };
}

export function CappedTextInput(props: Capped<TextInputProps>) {
  return <TextInput {...cappedProps(props)} />;
}

export function CappedPasswordInput(props: Capped<PasswordInputProps>) {
  return <PasswordInput {...cappedProps(props)} />;
}

export function CappedTextarea(props: Capped<TextareaProps>) {
  return <Textarea {...cappedProps(props)} />;
}
