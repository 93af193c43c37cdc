import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures.ts';
import { typeInto, type OwnVault } from './own-vault.ts';

/**
 * Helpers for specs that control the page's clock (Playwright's `clock`) and watch the
 * clipboard: one-time codes at a known instant, clipboard clearing, auto-lock on idle.
 */

/**
 * Counts, in the page, how often the app read the clipboard to decide whether to clear it and
 * how often it wrote the empty string. A spec waits on these counters, never on time, to know
 * the app's clearing check has run. Its own reads go through `read`, which counts nothing.
 */
const CLIPBOARD_SPY = `(() => {
  const board = navigator.clipboard;
  if (!board) return;
  const read = board.readText.bind(board);
  const write = board.writeText.bind(board);
  const spy = { checks: 0, clears: 0, read };
  Object.defineProperty(window, '__e2eClipboard', { value: spy });
  board.readText = () => read().finally(() => { spy.checks += 1; });
  board.writeText = (text) => {
    if (text === '') spy.clears += 1;
    return write(text);
  };
})();`;

export interface ClipboardCounts {
  readonly checks: number;
  readonly clears: number;
}

type SpyWindow = { __e2eClipboard: ClipboardCounts & { read(): Promise<string> } };

export function clipboardCounts(page: Page): Promise<ClipboardCounts> {
  return page.evaluate(() => {
    const { checks, clears } = (window as unknown as SpyWindow).__e2eClipboard;
    return { checks, clears };
  });
}

export function readClipboard(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as SpyWindow).__e2eClipboard.read());
}

/**
 * Installs the fake clock (starting at the real time and flowing with it) and the clipboard
 * spy, then reloads so that every timer the app creates is under the clock, signs in again and
 * unlocks. The web build keeps no session across a reload; the provider still has one.
 */
export async function reopenWithClock(vault: OwnVault, masterPassword: string): Promise<void> {
  const { context, page } = vault;
  await context.clock.install();
  await context.addInitScript(CLIPBOARD_SPY);
  await page.reload();
  await signInAgainAndUnlock(page, masterPassword);
}

/** From the sign-in screen of a vault that exists: provider (login page if it asks), unlock. */
export async function signInAgainAndUnlock(page: Page, masterPassword: string): Promise<void> {
  const unlockHeading = page.getByRole('heading', { name: 'Unlock your vault' });
  await page.getByRole('button', { name: 'Sign in with the development provider' }).click();
  const providerLogin = page.getByRole('button', { name: 'Sign in', exact: true });
  await expect(unlockHeading.or(providerLogin)).toBeVisible();
  if (await providerLogin.isVisible()) {
    throw new Error(
      'the development provider asked to log in again: its session was expected to hold',
    );
  }
  await typeInto(page, 'Master password', masterPassword);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('navigation', { name: 'Folders' })).toBeVisible();
}

/** The value shown for the field labelled `label` (a <dt>/<dd> pair) inside `scope`. */
export function shownField(scope: Locator, label: string): Locator {
  return scope
    .locator('dt')
    .getByText(label, { exact: true })
    .locator('xpath=following-sibling::dd[1]');
}
