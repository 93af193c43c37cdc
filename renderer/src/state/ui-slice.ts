import type { StateCreator } from 'zustand';
import type { Mutators } from './mutators.ts';
import type { AppState, UiSlice } from './types.ts';

/** The search text is what the user typed about their vault: it goes with everything at lock. */
export const emptyUi = {
  query: '',
  typeFilter: 'all' as const,
  sort: 'title' as const,
  selectedFolderId: null,
  selectedRecordId: null,
  paneMode: 'view' as const,
};

export const createUiSlice: StateCreator<AppState, Mutators, [], UiSlice> = (set) => ({
  ...emptyUi,
  setQuery: (query) => set({ query }),
  setTypeFilter: (typeFilter) => set({ typeFilter }),
  setSort: (sort) => set({ sort }),
  selectFolder: (selectedFolderId) => set({ selectedFolderId, paneMode: 'view' }),
  selectRecord: (selectedRecordId) => set({ selectedRecordId, paneMode: 'view' }),
  setPaneMode: (paneMode) => set({ paneMode }),
});
