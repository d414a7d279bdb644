/** The typology library: one module per typology, all behind the `Typology` interface. */
import type { Typology, TypologyParams } from '../typology.js';
import { cycle } from './cycle.js';
import { dormantReactivation } from './dormant-reactivation.js';
import { fanIn, fanOut } from './fan.js';
import { bipartite, gatherScatter, scatterGather } from './gather.js';
import { mulePassThrough, rapidMovement, stack } from './pass-through.js';
import { remittanceSplitting } from './remittance-splitting.js';
import { roundAmounts } from './round-amounts.js';
import { structuring } from './structuring.js';
import { transactionLaundering } from './transaction-laundering.js';
import { unusualTransfer } from './unusual.js';

export type AnyTypology = Typology<TypologyParams>;

/** Forget a typology's own parameter type: the engine hands each one the object its schema produced. */
function erase<P extends TypologyParams>(t: Typology<P>): AnyTypology {
  return t as unknown as AnyTypology;
}

export const TYPOLOGIES: readonly AnyTypology[] = [erase(fanIn),
  erase(fanOut),
  erase(cycle),
  erase(scatterGather),
  erase(gatherScatter),
  erase(bipartite),
  erase(stack),
  erase(mulePassThrough),
  erase(rapidMovement),
  erase(unusualTransfer),
  erase(structuring),
  erase(dormantReactivation),
  erase(roundAmounts),
  erase(remittanceSplitting),
  erase(transactionLaundering),
];
