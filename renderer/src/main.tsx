import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { VaultClient } from '../../shared/client/index.ts';
import { App } from './App.tsx';
import { installWorkerArgon2 } from './platform/argon2-client.ts';
import { workerDecryptorFactory } from './platform/decrypt-workers.ts';
import { detectPlatform } from './platform/index.ts';
import { createAppStore } from './state/store.ts';

installWorkerArgon2();
const platform = detectPlatform();
const store = createAppStore({
  platform,
  createClient: (serverUrl) =>
    new VaultClient({ serverUrl, createDecryptor: workerDecryptorFactory() }),
});

const container = document.getElementById('root');
if (!container) throw new Error('renderer: #root element missing from index.html');
// Settings load first (from localStorage or Electron's main process), then the app starts.
void Promise.resolve(store.persist.rehydrate()).finally(() => {
  createRoot(container).render(
    <StrictMode>
      <App store={store} platform={platform} />
    </StrictMode>,
  );
});
