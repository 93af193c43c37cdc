import '@mantine/core/styles.css';
import { MantineProvider } from '@mantine/core';
import type { ReactNode } from 'react';
import { render } from 'vitest-browser-react';

/** Renders inside the Mantine theme, as the app shell does. */
export function renderUi(ui: ReactNode) {
  return render(<MantineProvider>{ui}</MantineProvider>);
}

export const wrap = (ui: ReactNode) => <MantineProvider>{ui}</MantineProvider>;
