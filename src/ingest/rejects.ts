/**
 * Rejects file: every record a reader could not accept, with file, line and reason, as CSV.
 * Nothing is dropped silently: the writer counts what it wrote and keeps the first few for the summary.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Reject } from '../model/index.js';
import { csvEscape } from './csv.js';

export class RejectWriter {
  count = 0;
  readonly first: Reject[] = [];
  private out: WriteStream | undefined;

  constructor(
    readonly path: string | undefined,
    private readonly keepFirst = 20,
  ) {}

  async write(rejects: readonly Reject[]): Promise<void> {
    if (rejects.length === 0) return;
    for (const r of rejects) if (this.first.length < this.keepFirst) this.first.push(r);
    this.count += rejects.length;
    if (!this.path) return;
    if (!this.out) {
      await mkdir(dirname(this.path), { recursive: true });
      this.out = createWriteStream(this.path);
      this.out.write('file,line,reason,record\n');
    }
    const text = rejects.map((r) => `${csvEscape(r.file)},${r.line},${csvEscape(r.reason)},${csvEscape(r.record)}\n`).join('');
    if (!this.out.write(text)) await new Promise<void>((resolve) => this.out!.once('drain', resolve));
  }

  async close(): Promise<void> {
    const out = this.out;
    if (!out) return;
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
