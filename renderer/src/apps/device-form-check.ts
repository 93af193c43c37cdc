import { canonicalCidr } from '../../../shared/protocol/cidr.ts';

/** The address ranges as typed: one per line, or separated by spaces or commas. */
export function splitCidrs(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

/**
 * What is wrong with the add-device form, or null. Checked before the master password is asked
 * for, so a typo costs no re-authentication; the server checks the same rules again.
 */
export function deviceFormProblem(form: {
  readonly name: string;
  readonly rule: string;
  readonly cidrs: string;
}): string | null {
  if (form.name.trim() === '') return 'Give the device a name.';
  if (form.rule !== 'cidr') return null;
  const ranges = splitCidrs(form.cidrs);
  if (ranges.length === 0) return 'Enter at least one allowed address range.';
  const invalid = ranges.filter((range) => canonicalCidr(range) === undefined);
  if (invalid.length > 0) {
    return `Not an address range: ${invalid.join(', ')}. Use a form like 203.0.113.0/24.`;
  }
  return null;
}
