import type { IpcMainInvokeEvent } from 'electron';

/** The parts of an invoke event the policy reads; structural so tests can build one. */
export interface SenderFacts {
  readonly sender: { readonly id: number };
  readonly senderFrame: {
    readonly url: string;
    readonly detached: boolean;
    readonly parent: unknown;
  } | null;
}

export interface SenderPolicy {
  /** `undefined` when the sender may be served, otherwise the reason it is refused (for logs). */
  refusalReason(event: SenderFacts): string | undefined;
}

/**
 * Serve only the top frame of one of our own windows while it shows one of our own pages
 * (EL-06). A subframe, a page that navigated elsewhere, a window main did not create, or a frame
 * that is already gone (during unload the frame can resolve to null or a detached frame,
 * electron/electron#43456) is refused.
 */
export function createSenderPolicy(options: {
  readonly isAppUrl: (url: string) => boolean;
  readonly isKnownWindow: (webContentsId: number) => boolean;
}): SenderPolicy {
  return {
    refusalReason(event) {
      const frame = event.senderFrame;
      if (frame === null) return 'frame gone';
      if (frame.detached) return 'frame detached';
      if (frame.parent !== null) return 'subframe';
      if (!options.isAppUrl(frame.url)) return 'foreign origin';
      if (!options.isKnownWindow(event.sender.id)) return 'unknown window';
      return undefined;
    },
  };
}

/** Compile-time check that a real invoke event satisfies what the policy reads. */
export type _InvokeEventFits = IpcMainInvokeEvent extends SenderFacts ? true : never;
