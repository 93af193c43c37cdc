import { contextBridge } from 'electron';

// The bridge grows channel by channel from the typed IPC contract in shared/ (issue #4). It
// exposes plain functions only, never ipcRenderer itself.
contextBridge.exposeInMainWorld('coffer', Object.freeze({ platform: 'electron' as const }));
