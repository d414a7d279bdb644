/**
 * Laundering scheme names as the truth spells them (IBM `FAN-IN`, AMLSim `fan_in`, `scatter_gather`) in the
 * kebab-case of alert typologies (`fan-in`, `scatter-gather`), so schemes and typologies compare directly.
 */

/** The scheme of laundering transactions whose truth names none. */
export const UNKNOWN_SCHEME = 'unknown';

/** Schemes in the order reports list them (the IBM AMLworld shapes first); others follow alphabetically. */
export const SCHEME_ORDER: readonly string[] = ['fan-in', 'fan-out', 'cycle', 'scatter-gather', 'gather-scatter', 'bipartite', 'stack', 'random'];

export function normaliseScheme(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function compareSchemes(a: string, b: string): number {
  if (a === b) return 0;
  if (a === UNKNOWN_SCHEME) return 1;
  if (b === UNKNOWN_SCHEME) return -1;
  const ia = SCHEME_ORDER.indexOf(a);
  const ib = SCHEME_ORDER.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib);
  return a < b ? -1 : 1;
}
