/**
 * The browser clipboard with auto-clear (issue #4 item 6): the copied text is cleared after the
 * set time, and only if the clipboard still holds it — something the user copied since is left
 * alone (SECURITY-CASES LS-02). Where the page may not read the clipboard it cannot tell, so it
 * leaves the clipboard as it is rather than destroy what the user copied.
 */
export interface ClipboardLike {
  writeText(text: string): Promise<void>;
  readText(): Promise<string>;
}

export class AutoClearingClipboard {
  readonly #clipboard: ClipboardLike;
  #pending: { text: string; timer: ReturnType<typeof setTimeout> } | null = null;

  constructor(clipboard: ClipboardLike) {
    this.#clipboard = clipboard;
  }

  async copy(text: string, seconds: number): Promise<void> {
    this.#cancelTimer();
    await this.#clipboard.writeText(text);
    const timer = setTimeout(() => void this.clearIfUnchanged(), seconds * 1000);
    this.#pending = { text, timer };
  }

  /** Clears now if the clipboard still holds our text; forgets the text either way. */
  async clearIfUnchanged(): Promise<boolean> {
    const pending = this.#pending;
    this.#cancelTimer();
    this.#pending = null;
    if (pending === null) return false;
    let current: string;
    try {
      current = await this.#clipboard.readText();
    } catch {
      return false;
    }
    if (current !== pending.text) return false;
    await this.#clipboard.writeText('');
    return true;
  }

  #cancelTimer(): void {
    if (this.#pending !== null) clearTimeout(this.#pending.timer);
  }
}
