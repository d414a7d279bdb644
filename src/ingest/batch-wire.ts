/**
 * Batches across threads: a reader running in a worker thread hands its batches to the main thread as typed
 * arrays that are transferred, not copied, with strings sent once each instead of once per row. What crosses:
 * - numbers (time, amounts, channel, line, account refs) as the batch's own typed arrays, transferred;
 * - ids of the form `row:<n>` (the IBM reader's) as numbers, rebuilt into the same strings; others as strings;
 * - currencies, countries and institutions as codes into a table of the distinct values of the batch;
 * - account ids: when the reader numbers its accounts (`TxBatch.accountRefs`), the name of each number once
 *   per read (the receiving side keeps them), otherwise as codes like the other strings;
 * - every other record of the batch (accounts, parties, reports, truth, rejects) as it is.
 * Decoding gives a batch equal to the one encoded, field by field. Ids and account names of the decoded batch
 * are spelled when first read (a consumer that reads `idRows` and the account refs never needs them).
 */
import { TxBatch } from '../model/index.js';
import type { IngestBatch } from './reader.js';

const ROW_PREFIX = 'row:';

export interface WireTx {
  source: string;
  file: string;
  batchId: string;
  capacity: number;
  length: number;
  timeMs: Float64Array;
  amountMinor: Float64Array;
  originalAmountMinor: Float64Array;
  channel: Uint8Array;
  line: Uint32Array;
  /** `row:<n>` ids as n; undefined when some id of the batch has another form (then `ids`). */
  idRows: Float64Array | undefined;
  ids: string[] | undefined;
  /** Distinct strings of the batch; code 0 is `undefined`, code k is `strings[k - 1]`. */
  strings: string[];
  /** Per row, 8 codes: from, to (0: named by ref), currency, original currency, from/to country, from/to institution. */
  codes: Uint32Array;
  /** Account numbering of the reader (a number per read), or -1 when the batch has none. */
  refSpace: number;
  fromRef: Int32Array | undefined;
  toRef: Int32Array | undefined;
  /** Names of the refs first used in this batch (pairs of ref and name). */
  newRefs: Int32Array;
  newRefNames: string[];
}

export interface WireBatch {
  file: string;
  source: string;
  batchId: string;
  uniqueIds: boolean | undefined;
  tx: WireTx;
  accounts: IngestBatch['accounts'];
  parties: IngestBatch['parties'];
  links: IngestBatch['links'];
  reports: IngestBatch['reports'];
  truth: IngestBatch['truth'];
  rejects: IngestBatch['rejects'];
}

const CODES = 8;

/** `n` when `id` is exactly `row:` followed by the decimal form of a safe integer n ≥ 0, else NaN. */
function rowNumber(id: string): number {
  if (id.length < 5 || id.length > 20 || !id.startsWith(ROW_PREFIX)) return NaN;
  let n = 0;
  for (let i = 4; i < id.length; i++) {
    const c = id.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  // Leading zeros or digits beyond exact integers would not give the same string back.
  return Number.isSafeInteger(n) && `${ROW_PREFIX}${n}` === id ? n : NaN;
}

/** The sending side: remembers which account refs it has named, per numbering. */
export class BatchEncoder {
  private readonly spaces = new WeakMap<object, { id: number; named: Uint8Array }>();
  private spaceCount = 0;

  /** The wire form of a batch and the buffers to transfer; the batch must not be used afterwards. */
  encode(batch: IngestBatch): { wire: WireBatch; transfer: ArrayBuffer[] } {
    const t = batch.transactions;
    const n = t.length;
    const transfer: ArrayBuffer[] = [];
    const own = <A extends Float64Array | Uint8Array | Uint32Array | Int32Array>(a: A): A => {
      // A view over the whole of its own buffer is transferred as is; anything else is copied first.
      const whole = a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer;
      const out = whole ? a : (a.slice() as A);
      transfer.push(out.buffer as ArrayBuffer);
      return out;
    };
    let idRows: Float64Array | undefined = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = rowNumber(t.id[i]!);
      if (r !== r) {
        idRows = undefined;
        break;
      }
      idRows[i] = r;
    }
    const strings: string[] = [];
    const codeOf = new Map<string, number>();
    const code = (s: string | undefined): number => {
      if (s === undefined) return 0;
      let c = codeOf.get(s);
      if (c === undefined) {
        strings.push(s);
        c = strings.length;
        codeOf.set(s, c);
      }
      return c;
    };
    const codes = new Uint32Array(n * CODES);
    let refSpace = -1;
    const newRefs: number[] = [];
    const newRefNames: string[] = [];
    const space = t.accountRefs;
    if (space !== undefined) {
      let entry = this.spaces.get(space);
      if (!entry) {
        entry = { id: this.spaceCount++, named: new Uint8Array(1024) };
        this.spaces.set(space, entry);
      }
      refSpace = entry.id;
      let named: Uint8Array = entry.named;
      const refs = [t.fromRef!, t.toRef!];
      const names = [t.fromAccount, t.toAccount];
      for (let i = 0; i < n; i++) {
        for (let side = 0; side < 2; side++) {
          const ref = refs[side]![i]!;
          if (ref < 0) {
            codes[i * CODES + side] = code(names[side]![i]!);
            continue;
          }
          if (ref >= named.length) {
            let size: number = named.length;
            while (size <= ref) size *= 2;
            const next: Uint8Array = new Uint8Array(size);
            next.set(named);
            entry.named = named = next;
          }
          if (named[ref] === 0) {
            named[ref] = 1;
            newRefs.push(ref);
            newRefNames.push(names[side]![i]!);
          }
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        codes[i * CODES] = code(t.fromAccount[i]!);
        codes[i * CODES + 1] = code(t.toAccount[i]!);
      }
    }
    for (let i = 0; i < n; i++) {
      const k = i * CODES;
      codes[k + 2] = code(t.currency[i]!);
      codes[k + 3] = code(t.originalCurrency[i]);
      codes[k + 4] = code(t.fromCountry[i]);
      codes[k + 5] = code(t.toCountry[i]);
      codes[k + 6] = code(t.fromInstitution[i]);
      codes[k + 7] = code(t.toInstitution[i]);
    }
    const tx: WireTx = {
      source: t.source,
      file: t.file,
      batchId: t.batchId,
      capacity: t.capacity,
      length: n,
      timeMs: own(t.timeMs),
      amountMinor: own(t.amountMinor),
      originalAmountMinor: own(t.originalAmountMinor),
      channel: own(t.channel),
      line: own(t.line),
      idRows: idRows ? own(idRows) : undefined,
      ids: idRows ? undefined : t.id.slice(0, n),
      strings,
      codes: own(codes),
      refSpace,
      fromRef: space !== undefined ? own(t.fromRef!) : undefined,
      toRef: space !== undefined ? own(t.toRef!) : undefined,
      newRefs: own(Int32Array.from(newRefs)),
      newRefNames,
    };
    const wire: WireBatch = {
      file: batch.file,
      source: batch.source,
      batchId: batch.batchId,
      uniqueIds: batch.uniqueIds,
      tx,
      accounts: batch.accounts,
      parties: batch.parties,
      links: batch.links,
      reports: batch.reports,
      truth: batch.truth,
      rejects: batch.rejects,
    };
    return { wire, transfer };
  }
}

/** Replace a string column of a batch by one built on first read. */
function lazyColumn(t: TxBatch, name: 'id' | 'fromAccount' | 'toAccount', build: () => string[]): void {
  let value: string[] | undefined;
  Object.defineProperty(t, name, {
    get: () => (value ??= build()),
    enumerable: true,
    configurable: true,
  });
}

/** The receiving side: keeps the names of account refs, per numbering. */
export class BatchDecoder {
  private readonly spaces: { object: object; names: string[] }[] = [];

  decode(wire: WireBatch): IngestBatch {
    const w = wire.tx;
    const n = w.length;
    const t = new TxBatch(w.source, w.file, w.batchId, w.capacity);
    t.length = n;
    // The typed columns arrive whole: take them over instead of copying.
    const cols = t as unknown as Record<string, unknown>;
    cols.timeMs = w.timeMs;
    cols.amountMinor = w.amountMinor;
    cols.originalAmountMinor = w.originalAmountMinor;
    cols.channel = w.channel;
    cols.line = w.line;
    if (w.idRows) {
      const rows = w.idRows;
      t.idRows = rows;
      lazyColumn(t, 'id', () => {
        const ids = new Array<string>(w.capacity);
        for (let i = 0; i < n; i++) ids[i] = `${ROW_PREFIX}${rows[i]!}`;
        return ids;
      });
    } else {
      const ids = w.ids!;
      for (let i = 0; i < n; i++) t.id[i] = ids[i]!;
    }
    const s = w.strings;
    const codes = w.codes;
    const str = (c: number): string | undefined => (c === 0 ? undefined : s[c - 1]);
    if (w.refSpace >= 0) {
      let space = this.spaces[w.refSpace];
      if (!space) space = this.spaces[w.refSpace] = { object: {}, names: [] };
      const names = space.names;
      for (let k = 0; k < w.newRefs.length; k++) names[w.newRefs[k]!] = w.newRefNames[k]!;
      const fromRef = w.fromRef!;
      const toRef = w.toRef!;
      // Names of numbered accounts never change once sent, so spelling them later gives the same strings.
      const side = (refs: Int32Array, offset: number) => (): string[] => {
        const out = new Array<string>(w.capacity);
        for (let i = 0; i < n; i++) {
          const r = refs[i]!;
          out[i] = r >= 0 ? names[r]! : str(codes[i * CODES + offset]!)!;
        }
        return out;
      };
      lazyColumn(t, 'fromAccount', side(fromRef, 0));
      lazyColumn(t, 'toAccount', side(toRef, 1));
      t.accountRefs = space.object;
      t.fromRef = fromRef;
      t.toRef = toRef;
    } else {
      for (let i = 0; i < n; i++) {
        t.fromAccount[i] = str(codes[i * CODES]!)!;
        t.toAccount[i] = str(codes[i * CODES + 1]!)!;
      }
    }
    for (let i = 0; i < n; i++) {
      const k = i * CODES;
      t.currency[i] = str(codes[k + 2]!)!;
      t.originalCurrency[i] = str(codes[k + 3]!);
      t.fromCountry[i] = str(codes[k + 4]!);
      t.toCountry[i] = str(codes[k + 5]!);
      t.fromInstitution[i] = str(codes[k + 6]!);
      t.toInstitution[i] = str(codes[k + 7]!);
    }
    return {
      file: wire.file,
      source: wire.source,
      batchId: wire.batchId,
      transactions: t,
      accounts: wire.accounts,
      parties: wire.parties,
      links: wire.links,
      reports: wire.reports,
      truth: wire.truth,
      rejects: wire.rejects,
      uniqueIds: wire.uniqueIds,
    };
  }
}
