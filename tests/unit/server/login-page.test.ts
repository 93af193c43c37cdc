import { describe, expect, it } from 'vitest';
import { loginPage } from '../../../server/devidp/login-page.ts';

/** The names of the inputs that carry `autofocus`. */
function autofocused(html: string): string[] {
  return [...html.matchAll(/<input name="(\w+)"[^>]*?\sautofocus[\s>]/g)].map((m) => m[1] ?? '');
}

describe('development sign-in page', () => {
  it('starts the cursor in the first field left to fill, and in one field only', () => {
    expect(autofocused(loginPage('uid', { email: 'alice@example.com', failed: false }))).toEqual([
      'password',
    ]);
    expect(autofocused(loginPage('uid', { email: 'alice@example.com', failed: true }))).toEqual([
      'password',
    ]);
    expect(autofocused(loginPage('uid', { email: '', failed: false }))).toEqual(['email']);
  });
});
