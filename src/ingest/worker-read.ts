/**
 * `readFiles` with the reading (decoding, parsing, interning) in a worker thread, so that it runs beside
 * the consumer (the detection engine) on another core. The batches are the same, in the same order, as
 * `readFiles` gives in-process (batch-wire.ts says how they cross); errors arrive as the same kinds (an
 * input error still exits 2). The worker reads at most a few batches ahead of the consumer.
 */
import { Worker } from 'node:worker_threads';
import { BatchDecoder } from './batch-wire.js';
import { InputError, type FileInput, type ReadFilesOptions } from './pipeline.js';
import type { IngestBatch } from './reader.js';
import type { ReadWorkerData, ReadWorkerMessage } from './read-worker.js';

/** Batches the worker may have posted and the consumer not yet taken. */
const WINDOW = 8;

/** Options `readFilesInWorker` can honour: a mapping and `onFile` need the main thread's objects. */
export type WorkerReadOptions = Omit<ReadFilesOptions, 'mapping' | 'onFile'>;

export class ReadWorkerError extends Error {
  constructor(
    name: string,
    message: string,
    readonly exitCode: number | undefined,
  ) {
    super(message);
    this.name = name;
  }
}

export async function* readFilesInWorker(inputs: readonly FileInput[], options: WorkerReadOptions): AsyncGenerator<IngestBatch> {
  const data: ReadWorkerData = {
    inputs: inputs.map((i) => ({ ...i })),
    format: options.format,
    encoding: options.encoding,
    batchId: options.batchId,
    batchRows: options.batchRows,
    progress: options.onBytes !== undefined,
    window: WINDOW,
    taken: new SharedArrayBuffer(4),
  };
  const taken = new Int32Array(data.taken);
  const worker = new Worker(new URL('./read-worker.js', import.meta.url), { workerData: data });
  const queue: ReadWorkerMessage[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  const push = (m: ReadWorkerMessage): void => {
    queue.push(m);
    const w = wake;
    wake = undefined;
    w?.();
  };
  let ended = false;
  worker.on('message', (m: ReadWorkerMessage) => {
    if (m.type === 'done' || m.type === 'error') ended = true;
    if (m.type === 'bytes') options.onBytes?.(m.bytesRead);
    else {
      if (m.type === 'batch' && m.bytesRead >= 0) options.onBytes?.(m.bytesRead);
      push(m);
    }
  });
  worker.on('error', (err: Error) => {
    failure = err;
    push({ type: 'done' });
  });
  worker.on('exit', (code) => {
    if (!ended && !failure) failure = new Error(`reader thread stopped before the end of input (exit code ${code})`);
    push({ type: 'done' });
  });
  const decoder = new BatchDecoder();
  try {
    for (;;) {
      if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const m = queue.shift()!;
      if (m.type === 'batch') {
        Atomics.add(taken, 0, 1);
        Atomics.notify(taken, 0);
        yield decoder.decode(m.batch);
        continue;
      }
      if (m.type === 'error') {
        if (m.exitCode === 2) throw new InputError(m.message);
        const err = new ReadWorkerError(m.name, m.message, m.exitCode);
        if (m.stack) err.stack = m.stack;
        throw err;
      }
      if (failure) throw failure;
      return;
    }
  } finally {
    await worker.terminate();
  }
}
