import { notifications } from '@mantine/notifications';
import { useEffect, type RefObject } from 'react';
import { isCofferError } from '../../../shared/errors.ts';
import { useAppStore } from '../app/store-context.tsx';
import { copyTarget, isMac, shortcutFor, type ShortcutAction } from './record-shortcuts.ts';

const COPY_NAMES: Record<Exclude<ShortcutAction, 'search'>, string> = {
  'copy-username': 'username',
  'copy-password': 'password',
  'copy-totp': 'one-time code',
};

function isEditing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Binds the vault's shortcuts (record-shortcuts.ts) on the window while the vault is shown:
 * search focuses the search box; the copy chords copy from the selected record through the
 * platform clipboard, which clears itself after the set time (LS-02).
 */
export function useVaultShortcuts(search: RefObject<HTMLInputElement | null>): void {
  const store = useAppStore();
  useEffect(() => {
    const mac = isMac(navigator.platform);
    const onKey = (event: KeyboardEvent) => {
      const action = shortcutFor(event, {
        mac,
        editing: isEditing(event.target),
        selecting: (window.getSelection()?.toString() ?? '') !== '',
      });
      if (action === null) return;
      event.preventDefault();
      if (action === 'search') {
        search.current?.focus();
        search.current?.select();
        return;
      }
      const state = store.getState();
      const entry = state.records.find((r) => r.id === state.selectedRecordId);
      if (entry === undefined) {
        notifications.show({ message: 'Select a record first.', autoClose: 2000 });
        return;
      }
      let target;
      try {
        target = copyTarget(entry.record, action, Date.now());
      } catch (error) {
        const message = isCofferError(error) ? error.message : 'No code could be computed.';
        notifications.show({ color: 'red', message });
        return;
      }
      if (target === null) {
        notifications.show({
          message: `This record has no ${COPY_NAMES[action]}.`,
          autoClose: 2000,
        });
        return;
      }
      const { label } = target;
      state.copySecret(target.value).then(
        () =>
          notifications.show({
            message: `${label} copied. The clipboard clears in ${state.settings.clipboardClearSeconds} s.`,
            autoClose: 2500,
          }),
        (error: unknown) =>
          notifications.show({
            color: 'red',
            message: isCofferError(error) ? error.message : 'Copying failed.',
          }),
      );
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, search]);
}
