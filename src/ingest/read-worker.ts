/**
 * Worker-thread side of `readFilesInWorker`: reads the files with the ordinary readers and posts each batch
 * in its wire form (batch-wire.ts), at most `window` batches ahead of what the main thread has taken.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BatchEncoder, type WireBatch } from './batch-wire.js';
import { readFiles, type FileInput } from './pipeline.js';
import type { FormatChoice } from './registry.js';
import type { TextEncodingName } from './text.js';

export interface ReadWorkerData {
  inputs: FileInput[];
  format: FormatChoice | undefined;
  encoding: TextEncodingName | undefined;
  batchId: string;
  batchRows: number | undefined;
  /** Whether the main thread wants byte progress. */
  progress: boolean;
  /** Batches posted and not yet taken before the worker waits. */
  window: number;
  /** Int32 [0]: batches the main thread has taken (it adds and notifies; the worker waits on it). */
  taken: SharedArrayBuffer;
}

/** Messages from the worker. */
export type ReadWorkerMessage =
  | { type: 'batch'; batch: WireBatch; bytesRead: number }
  | { type: 'bytes'; bytesRead: number }
  | { type: 'done' }
  | { type: 'error'; name: string; message: string; stack: string | undefined; exitCode: number | undefined };

const port = parentPort!;
const data = workerData as ReadWorkerData;
const taken = new Int32Array(data.taken);
/** `Atomics.waitAsync` (Node 16+; not in the TypeScript lib this project targets). */
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

/** Wait (without blocking the thread's event loop) until the main thread has taken more than `count` batches. */
// A listener keeps the thread alive while it waits for the main thread (a pending waitAsync does not).
port.on('message', () => undefined);

async function takenMoreThan(count: number): Promise<void> {
  for (;;) {
    const now = Atomics.load(taken, 0);
    if (now > count) return;
    const w = waitAsync(taken, 0, now);
    if (w.async) await w.value;
  }
}

async function run(): Promise<void> {
  const encoder = new BatchEncoder();
  let posted = 0;
  let bytesRead = -1;
  let bytesPosted = -1;
  try {
    const batches = readFiles(data.inputs, {
      format: data.format,
      encoding: data.encoding,
      batchId: data.batchId,
      batchRows: data.batchRows,
      // Progress travels with the batches (and once at the end), not as a message per piece read.
      onBytes: data.progress ? (n) => (bytesRead = n) : undefined,
    });
    for await (const batch of batches) {
      const { wire, transfer } = encoder.encode(batch);
      port.postMessage({ type: 'batch', batch: wire, bytesRead } satisfies ReadWorkerMessage, transfer);
      bytesPosted = bytesRead;
      posted++;
      if (posted - Atomics.load(taken, 0) >= data.window) await takenMoreThan(posted - data.window);
    }
    if (bytesRead !== bytesPosted) port.postMessage({ type: 'bytes', bytesRead } satisfies ReadWorkerMessage);
    port.postMessage({ type: 'done' } satisfies ReadWorkerMessage);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    port.postMessage({ type: 'error', name: e.name, message: e.message, stack: e.stack, exitCode: (e as { exitCode?: number }).exitCode } satisfies ReadWorkerMessage);
  }
  port.close();
}

void run();
