/**
 * Progress on stderr: rows/s, bytes read and ETA when the input size is known.
 * Draws only on a terminal, at most ten times a second; silent otherwise or with --quiet.
 */
export interface ProgressOptions {
  totalBytes?: number;
  enabled: boolean;
  stream?: NodeJS.WriteStream;
  now?: () => number;
}

function human(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(Math.round(n));
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export class Progress {
  private rows = 0;
  private bytes = 0;
  private lastDraw = 0;
  private readonly started: number;
  private readonly stream: NodeJS.WriteStream;
  private readonly now: () => number;
  private drawn = false;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  setRows(rows: number): void {
    this.rows = rows;
    this.maybeDraw();
  }

  setBytes(bytes: number): void {
    this.bytes = bytes;
    this.maybeDraw();
  }

  private maybeDraw(): void {
    if (!this.options.enabled) return;
    const t = this.now();
    if (t - this.lastDraw < 100) return;
    this.lastDraw = t;
    this.draw(t);
  }

  line(t = this.now()): string {
    const elapsed = Math.max(1, t - this.started);
    const rate = (this.rows * 1000) / elapsed;
    const total = this.options.totalBytes;
    let text = `${human(this.rows)} rows  ${human(rate)} rows/s  ${human(this.bytes)}B`;
    if (total && total > 0) {
      const frac = Math.min(1, this.bytes / total);
      const width = 24;
      const filled = Math.round(frac * width);
      const eta = frac > 0 ? (elapsed * (1 - frac)) / frac : NaN;
      text = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(1)}%  ${text} of ${human(total)}B` + (Number.isFinite(eta) ? `  ETA ${duration(eta)}` : '');
    }
    return text;
  }

  private draw(t: number): void {
    this.stream.write(`\r\x1b[2K${this.line(t)}`);
    this.drawn = true;
  }

  done(): void {
    if (this.options.enabled && this.drawn) this.stream.write(`\r\x1b[2K${this.line()}\n`);
  }
}
