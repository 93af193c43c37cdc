import { MantineProvider } from '@mantine/core';
import { useColorScheme } from '@mantine/hooks';
import { Notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { assertNever } from '../../shared/errors.ts';
import { theme } from './app/theme.ts';
import { AppProvider, useApp } from './app/store-context.tsx';
import { Workspace } from './apps/Workspace.tsx';
import { useAutoLock } from './app/use-auto-lock.ts';
import type { Platform } from './platform/index.ts';
import { CreatePasswordScreen } from './screens/CreatePasswordScreen.tsx';
import { ServerScreen } from './screens/ServerScreen.tsx';
import { SignInScreen } from './screens/SignInScreen.tsx';
import { UnlockScreen } from './screens/UnlockScreen.tsx';
import type { AppStore } from './state/store.ts';

function Screen() {
  const phase = useApp((s) => s.phase);
  switch (phase) {
    case 'server':
      return <ServerScreen />;
    case 'signin':
    case 'completing':
      return <SignInScreen />;
    case 'create-password':
      return <CreatePasswordScreen />;
    case 'unlock':
      return <UnlockScreen />;
    case 'vault':
      return <Workspace />;
    default:
      return assertNever(phase, 'screen');
  }
}

function Themed() {
  const preference = useApp((s) => s.settings.theme);
  const system = useColorScheme('light');
  return (
    <MantineProvider theme={theme} forceColorScheme={preference === 'system' ? system : preference}>
      <Notifications position="bottom-right" />
      <Screen />
    </MantineProvider>
  );
}

export function App({
  store,
  platform,
}: {
  readonly store: AppStore;
  readonly platform: Platform;
}) {
  useAutoLock(store, platform);
  useEffect(() => {
    void store.getState().start();
  }, [store]);
  return (
    <AppProvider store={store} platform={platform}>
      <Themed />
    </AppProvider>
  );
}
