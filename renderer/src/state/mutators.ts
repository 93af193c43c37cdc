/** The middleware the combined store is wrapped in, once (store.ts); slices declare it. */
export type Mutators = [['zustand/persist', unknown]];
