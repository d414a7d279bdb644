/**
 * A JSON-RPC client for a Bitcoin Core node (`http://user:pass@host:8332`). Blocks are fetched raw
 * (`getblock <hash> 0`) and parsed by our reader: a fraction of the bytes and work of verbosity 2.
 */

export class RpcError extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
  }
}

export interface RpcOptions {
  /** Per-request limit (default 60 s); the request is aborted and reported past it. */
  timeoutMs?: number;
}

interface RpcReply {
  result?: unknown;
  error?: { code: number; message: string } | null;
  id?: number | string;
}

export class RpcClient {
  private readonly endpoint: string;
  private readonly auth: string | undefined;
  private nextId = 1;
  readonly display: string;

  constructor(
    url: string,
    private readonly options: RpcOptions = {},
  ) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new RpcError(`not a URL: ${url}`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new RpcError(`RPC URL must be http(s): ${u.protocol}`);
    if (u.username || u.password) this.auth = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
    u.username = '';
    u.password = '';
    this.endpoint = u.toString();
    this.display = `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  }

  private async post(body: unknown): Promise<unknown> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.auth) headers.authorization = this.auth;
    let res: Response;
    try {
      res = await fetch(this.endpoint, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new RpcError(`cannot reach ${this.display}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    if (res.status === 401 || res.status === 403) throw new RpcError(`${this.display}: authentication refused (HTTP ${res.status}); give user:pass in the URL`);
    const text = await res.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new RpcError(`${this.display}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
    }
  }

  async call<T>(method: string, params: unknown[] = []): Promise<T> {
    const reply = (await this.post({ jsonrpc: '1.0', id: this.nextId++, method, params })) as RpcReply;
    if (reply.error) throw new RpcError(`${method}: ${reply.error.message} (code ${reply.error.code})`, reply.error.code);
    return reply.result as T;
  }

  /** Several calls in one HTTP request; results in call order. */
  async batch<T>(calls: { method: string; params: unknown[] }[]): Promise<T[]> {
    if (calls.length === 0) return [];
    const first = this.nextId;
    this.nextId += calls.length;
    const replies = (await this.post(calls.map((c, i) => ({ jsonrpc: '1.0', id: first + i, method: c.method, params: c.params })))) as RpcReply[];
    if (!Array.isArray(replies)) throw new RpcError(`${this.display}: batch request answered with a single reply`);
    const byId = new Map(replies.map((r) => [Number(r.id), r]));
    return calls.map((c, i) => {
      const r = byId.get(first + i);
      if (!r) throw new RpcError(`${c.method}: no reply in the batch`);
      if (r.error) throw new RpcError(`${c.method}: ${r.error.message} (code ${r.error.code})`, r.error.code);
      return r.result as T;
    });
  }

  getBlockCount(): Promise<number> {
    return this.call<number>('getblockcount');
  }

  getBlockHash(height: number): Promise<string> {
    return this.call<string>('getblockhash', [height]);
  }

  /** The serialized block as hex (verbosity 0). */
  getBlockHex(hash: string): Promise<string> {
    return this.call<string>('getblock', [hash, 0]);
  }
}
