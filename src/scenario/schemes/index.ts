/**
 * The schemes the generator knows, by name. `defaultSchemes()` is what `rastro generate` plants unless told
 * otherwise: every scheme from the field and every AMLSim/AMLworld shape. `ibm-patterns` needs a patterns
 * file, so it is added by the caller (`--embed-patterns`).
 */
import type { Scheme } from '../scheme.js';
import { cryptoRampScheme } from './crypto-ramp.js';
import { mirrorSwapScheme } from './mirror-swap.js';
import { muleNetworkScheme } from './mule-network.js';
import { remittanceSplittingScheme } from './remittance-splitting.js';
import { sanctionedPartiesScheme } from './sanctioned-parties.js';
import { SHAPES, shapeScheme } from './shapes.js';
import { structuringScheme } from './structuring.js';
import { transactionLaunderingScheme } from './transaction-laundering.js';

export interface SchemeOptions {
  /** Multiplies every scheme's number of instances (default 1). */
  scale?: number;
}

/** Schemes from the field, in the order they are planned. */
export const FIELD_SCHEMES = [
  'mule-network',
  'structuring',
  'remittance-splitting',
  'mirror-swap',
  'transaction-laundering',
  'crypto-ramp',
  'sanctioned-parties',
] as const;

/** Every scheme that needs no input file, in planning order: the field's, then the shapes. */
export const SCHEME_NAMES = [...FIELD_SCHEMES, ...SHAPES] as const;
export type SchemeName = (typeof SCHEME_NAMES)[number];

/** Names that stand for several schemes on the command line. */
export const SCHEME_GROUPS: Readonly<Record<string, readonly SchemeName[]>> = {
  all: SCHEME_NAMES,
  default: SCHEME_NAMES,
  field: FIELD_SCHEMES,
  shapes: SHAPES,
};

export function isSchemeName(name: string): name is SchemeName {
  return (SCHEME_NAMES as readonly string[]).includes(name);
}

export function schemeByName(name: SchemeName, options: SchemeOptions = {}): Scheme {
  const scale = options.scale ?? 1;
  switch (name) {
    case 'mule-network':
      return muleNetworkScheme({ scale });
    case 'structuring':
      return structuringScheme({ scale });
    case 'remittance-splitting':
      return remittanceSplittingScheme({ scale });
    case 'mirror-swap':
      return mirrorSwapScheme({ scale });
    case 'transaction-laundering':
      return transactionLaunderingScheme({ scale });
    case 'crypto-ramp':
      return cryptoRampScheme({ scale });
    case 'sanctioned-parties':
      return sanctionedPartiesScheme({ scale });
    default:
      return shapeScheme(name, { scale });
  }
}

/**
 * Scheme names from a comma-separated list of names and groups (`mule-network,shapes`), in planning order,
 * each once. Unknown names are an error listing the known ones.
 */
export function parseSchemeList(list: string): SchemeName[] {
  const wanted = new Set<SchemeName>();
  for (const raw of list.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    const group = SCHEME_GROUPS[name];
    if (group) for (const g of group) wanted.add(g);
    else if (isSchemeName(name)) wanted.add(name);
    else throw new RangeError(`unknown scheme ${JSON.stringify(name)}; known: ${[...Object.keys(SCHEME_GROUPS), ...SCHEME_NAMES].join(', ')}`);
  }
  return SCHEME_NAMES.filter((n) => wanted.has(n));
}

/** The default set: every scheme from the field and every shape. */
export function defaultSchemes(options: SchemeOptions = {}): Scheme[] {
  return SCHEME_NAMES.map((name) => schemeByName(name, options));
}

export { cryptoRampScheme, mirrorSwapScheme, muleNetworkScheme, remittanceSplittingScheme, sanctionedPartiesScheme, shapeScheme, structuringScheme, transactionLaunderingScheme };
export { CRYPTO_RAMP_DEFAULTS, type CryptoRampParams } from './crypto-ramp.js';
export { MIRROR_SWAP_DEFAULTS, type MirrorSwapParams } from './mirror-swap.js';
export { MULE_NETWORK_DEFAULTS, type MuleNetworkParams } from './mule-network.js';
export { REMITTANCE_SPLITTING_DEFAULTS, type RemittanceSplittingParams } from './remittance-splitting.js';
export { SANCTIONED_PARTIES_DEFAULTS, nameVariant, type SanctionedPartiesParams } from './sanctioned-parties.js';
export { SHAPES, SHAPE_DEFAULTS, type Shape, type ShapeParams } from './shapes.js';
export { CASH_THRESHOLDS, STRUCTURING_DEFAULTS, thresholdMinor, type StructuringParams } from './structuring.js';
export { TRANSACTION_LAUNDERING_DEFAULTS, type TransactionLaunderingParams } from './transaction-laundering.js';
