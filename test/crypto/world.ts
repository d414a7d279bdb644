/**
 * A small cartel economy on a synthetic chain, built so every answer is known:
 *
 *   buyers B1, B2 pay market deposit addresses D1, D2; the market (Hydra, a real tagged address) sweeps
 *   them together with its own address and pays the vendor V1 3 BTC; a ransomware address (real tag) pays
 *   V2 1.5 BTC; a mixer (ChipMixer, real tag) pays an unlabelled intermediary I1, which pays V3.
 *   The cartel consolidates V1+V2+V3 into P0 and walks it down a 5-step peel chain (P0 → P5), peeling
 *   payments to shops, an exchange deposit address and an OFAC-listed address; P5 is cashed out to a second
 *   exchange deposit address; the exchange (Huobi, a real tag) sweeps both deposits with its hot wallet.
 *   Around it: a Whirlpool mix (the cartel's V4 and four strangers), a JoinMarket-style equal-output join,
 *   and a buyer spending two of his own coins together.
 */
import { BTC, ChainBuilder, type Outpoint } from './chain.js';

export const HYDRA = '1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA';
export const HUOBI = '1vdXJDiDSzeUAoM7eAcWZPhM9wEKmH8dG';
export const CHIPMIXER = '1LAScEFHGkfpyjtFzA4g9283JmL2cYR9Tx';
export const RANSOMWARE = '1Lud76Q98VRHCUiyK7XUs7AgFofrqXeP78';
/** Second entry of OFAC's XBT list (fixture copy). */
export const SANCTIONED = '125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU';

export const FEE = 1000;

export interface World {
  chain: ChainBuilder;
  blocks: Buffer[];
  /** Index of the first block of the second half (for incremental loads). */
  split: number;
  a: Record<string, string>;
  out: Record<string, Outpoint>;
  peelTxids: string[];
  peels: number[];
}

export function buildWorld(): World {
  const c = new ChainBuilder('cartel-world');
  const a: Record<string, string> = {};
  for (const n of ['B1', 'B1c', 'B2', 'B2c', 'B3', 'D1', 'D2', 'V1', 'V2', 'V3', 'V4', 'I1', 'P0', 'P1', 'P2', 'P3', 'P4', 'P5', 'SHOP1', 'SHOP2', 'SHOP3', 'DEP1', 'DEP2', 'J1', 'J2', 'J3', 'J1o', 'J2o', 'J3o', 'J1c', 'J2c', 'J3c', 'B3x'])
    a[n] = c.address(n);
  for (const n of ['U1', 'U2', 'U3', 'U4', 'W0', 'W1', 'W2', 'W3', 'W4']) a[n] = c.address(n, 'p2wpkh');
  Object.assign(a, { HYDRA, HUOBI, CHIPMIXER, RANSOMWARE, SANCTIONED });
  const out: Record<string, Outpoint> = {};

  // Coins: minted to their first owners, one block each.
  const b1 = c.mint(a.B1!, 10 * BTC);
  const b2 = c.mint(a.B2!, 5 * BTC);
  const b3a = c.mint(a.B3!, 1 * BTC);
  const b3b = c.mint(a.B3!, 2 * BTC);
  const hydra = c.mint(HYDRA, 1 * BTC);
  const ransom = c.mint(RANSOMWARE, 2 * BTC);
  const chip = c.mint(CHIPMIXER, 4 * BTC);
  const huobi = c.mint(HUOBI, 50 * BTC);
  const v4 = c.mint(a.V4!, 1_020_000);
  out.V4 = v4;
  const u = [1, 2, 3, 4].map((i) => c.mint(a[`U${i}`]!, 1_010_000 + i));
  const j = [1, 2, 3].map((i) => c.mint(a[`J${i}`]!, (5 + i) * BTC / 10));
  c.mine();

  // Market: deposits, sweep, payout to the vendor.
  const [d1, b1c] = c.pay([b1], [[a.D1!, 2 * BTC], [a.B1c!, 8 * BTC - FEE]]);
  const [d2] = c.pay([b2], [[a.D2!, 1.5 * BTC], [a.B2c!, 3.5 * BTC - FEE]]);
  void b1c;
  c.mine();
  const [sweep] = c.pay([d1!, d2!, hydra], [[HYDRA, 4.5 * BTC - FEE]]);
  c.mine();
  const [v1] = c.pay([sweep!], [[a.V1!, 3 * BTC], [HYDRA, 1.5 * BTC - 2 * FEE]]);
  out.V1 = v1!;
  // Ransomware and mixer money reach the cartel.
  const [v2] = c.pay([ransom], [[a.V2!, 1.5 * BTC], [RANSOMWARE, 0.5 * BTC - FEE]]);
  out.V2 = v2!;
  const [i1] = c.pay([chip], [[a.I1!, 1 * BTC], [CHIPMIXER, 3 * BTC - FEE]]);
  c.mine();
  const [v3] = c.pay([i1!], [[a.V3!, 1 * BTC - FEE]]);
  out.V3 = v3!;
  c.mine();
  const split = c.blocks().length;

  // Second half: consolidation, peel chain, cash-out, exchange sweep, joins.
  const [p0] = c.pay([v1!, v2!, v3!], [[a.P0!, 5.5 * BTC - 2 * FEE]]);
  out.P0 = p0!;
  c.mine();
  const peelPlan: [string, number][] = [
    [a.SHOP1!, 0.1 * BTC],
    [a.DEP1!, 0.2 * BTC],
    [a.SHOP2!, 0.15 * BTC],
    [SANCTIONED, 0.3 * BTC],
    [a.SHOP3!, 0.12 * BTC],
  ];
  let cur = p0!;
  const peelTxids: string[] = [];
  for (let k = 0; k < peelPlan.length; k++) {
    const [to, sats] = peelPlan[k]!;
    const [peel, change] = c.pay([cur], [[to, sats], [a[`P${k + 1}`]!, cur.sats - sats - FEE]]);
    out[`peel${k + 1}`] = peel!;
    peelTxids.push(peel!.txid);
    cur = change!;
    c.mine();
  }
  out.P5 = cur;
  const [dep2] = c.pay([cur], [[a.DEP2!, cur.sats - FEE]]);
  out.DEP2 = dep2!;
  c.mine();
  const [hot] = c.pay([out.peel2!, dep2!, huobi], [[HUOBI, out.peel2!.sats + dep2!.sats + huobi.sats - FEE]]);
  out.HUOBI = hot!;
  // Whirlpool: five 0.01 BTC P2WPKH outputs from five owners.
  c.pay([v4, ...u], [0, 1, 2, 3, 4].map((i) => [a[`W${i}`]!, 1_000_000] as const));
  // JoinMarket-style: three equal 0.5 BTC outputs and three changes.
  c.pay(j, [
    [a.J1o!, 0.5 * BTC],
    [a.J2o!, 0.5 * BTC],
    [a.J3o!, 0.5 * BTC],
    [a.J1c!, 0.1 * BTC - FEE],
    [a.J2c!, 0.2 * BTC - FEE],
    [a.J3c!, 0.3 * BTC - FEE],
  ]);
  // A buyer spends two of his own coins together.
  c.pay([b3a, b3b], [[a.B3x!, 3 * BTC - FEE]]);
  c.mine();
  return { chain: c, blocks: c.blocks(), split, a, out, peelTxids, peels: peelPlan.map(([, s]) => s) };
}
