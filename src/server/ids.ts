import { randomBytes } from 'node:crypto';

/** A new random id with a readable prefix, e.g. `case-3f9c0a1b2d4e5f60`. */
export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`;
}
