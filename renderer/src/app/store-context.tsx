import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Platform } from '../platform/index.ts';
import type { AppStore } from '../state/store.ts';
import type { AppState } from '../state/types.ts';

interface AppContextValue {
  readonly store: AppStore;
  readonly platform: Platform;
}

const AppContext = createContext<AppContextValue | null>(null);

export function AppProvider(props: AppContextValue & { readonly children: ReactNode }) {
  return (
    <AppContext.Provider value={{ store: props.store, platform: props.platform }}>
      {props.children}
    </AppContext.Provider>
  );
}

function useAppContext(): AppContextValue {
  const value = useContext(AppContext);
  if (value === null) throw new Error('AppProvider is missing above this component');
  return value;
}

/** Reads a slice of the app store; re-renders only when the selected value changes. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useAppContext().store, selector);
}

export function useAppStore(): AppStore {
  return useAppContext().store;
}

export function usePlatform(): Platform {
  return useAppContext().platform;
}
