import { CofferError } from '../errors.ts';
import type { ReferenceComponent } from './types.ts';

/**
 * A malformed reference: says which component is wrong and where (0-based UTF-16 offset into
 * the reference, so an editor can put the caret on it). References are pointers, not secrets,
 * but the message still quotes at most a short token, never the whole input.
 */
export class ReferenceSyntaxError extends CofferError {
  readonly component: ReferenceComponent;
  readonly position: number;

  constructor(component: ReferenceComponent, position: number, problem: string) {
    super(
      'reference_malformed',
      `Malformed coffer:// reference: ${problem} (${component} at position ${position}).`,
    );
    this.component = component;
    this.position = position;
  }
}
