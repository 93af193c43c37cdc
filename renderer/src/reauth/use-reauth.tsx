import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useApp } from '../app/store-context.tsx';
import { ReauthDialog } from './ReauthDialog.tsx';

export interface ReauthGate {
  /**
   * Asks for the master password before `action` (a sentence saying what it is for). True once
   * the password is confirmed, false when the user cancels or the asking component goes away
   * (the vault locked, say).
   */
  confirm(action: string): Promise<boolean>;
  /** The dialog while a question is open; render it once where the gate is used. */
  readonly dialog: ReactNode;
}

interface Question {
  readonly action: string;
  readonly answer: (confirmed: boolean) => void;
}

/** The re-authentication gate (LS-05) around any check of the password. */
export function useReauthGate(verify: (password: string) => Promise<void>): ReauthGate {
  const [question, setQuestion] = useState<Question | null>(null);
  const open = useRef<Question | null>(null);

  const settle = useCallback((confirmed: boolean) => {
    const asked = open.current;
    open.current = null;
    setQuestion(null);
    asked?.answer(confirmed);
  }, []);

  // An unanswered question is a no once nobody is left to answer it.
  useEffect(() => () => open.current?.answer(false), []);

  const confirm = useCallback(
    (action: string) =>
      new Promise<boolean>((resolve) => {
        open.current?.answer(false);
        const asked = { action, answer: resolve };
        open.current = asked;
        setQuestion(asked);
      }),
    [],
  );

  const dialog =
    question === null ? null : (
      <ReauthDialog
        action={question.action}
        verify={verify}
        onConfirmed={() => settle(true)}
        onCancel={() => settle(false)}
      />
    );
  return { confirm, dialog };
}

/** The gate checking the password against this session's account keys (VaultClient). */
export function useReauth(): ReauthGate {
  return useReauthGate(useApp((s) => s.reauthenticate));
}
