/**
 * Network explorer (`/explore`): neighbourhood of an account, party or wallet drawn with sigma (WebGL),
 * time replay, colour modes, node expansion, path finding, PNG/SVG/JSON export and JSON import.
 *
 * URL parameters: kind, id, hops (1–4, default 2), from, to (YYYY-MM-DD or ISO), maxNodes, pathFrom, pathTo.
 * The graph engine lives in ExplorerController (outside React); React keeps only small UI state.
 * `window.__rastroExplorer` (see testHook.ts) is installed while the page is mounted.
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { formatNumber, t } from '../strings';
import { ExplorerController, type Snapshot } from './controller';
import { fetchNeighbourhood, fetchPath, isKind, parseGraphJson, toIsoBound } from './data';
import { downloadBlob, downloadText } from './download';
import { Legend } from './Legend';
import { DetailsPanel, FindNode } from './Panel';
import { installTestHook } from './testHook';
import { TimeBar } from './TimeBar';
import type { ColorMode, EntityKind, GraphJson, NeighbourhoodQuery, PathResponse } from './types';
import './explorer.css';

const KINDS: readonly EntityKind[] = ['account', 'party', 'wallet'];
const HOPS = [1, 2, 3, 4] as const;
const MAX_NODES = [500, 2000, 5000, 10000] as const;
const DEFAULT_MAX_NODES = 2000;
const PATH_HOPS = [1, 2, 3, 4, 5, 6, 7, 8] as const;
const MODES: readonly ColorMode[] = ['typology', 'risk', 'tag'];

interface FormState {
  kind: EntityKind;
  id: string;
  hops: number;
  from: string;
  to: string;
  maxNodes: number;
}

type Message = { kind: 'error' | 'notice' | 'warning'; text: string } | null;

const noopSubscribe = () => () => {};
const EMPTY: Snapshot = {
  loadVersion: 0,
  dataVersion: 0,
  nodes: 0,
  edges: 0,
  layoutRunning: false,
  selection: null,
  center: null,
  source: null,
  timeMin: null,
  timeMax: null,
  slider: 1000,
  mode: 'typology',
  pathActive: false,
  edgeEvents: true,
  typologies: [],
};

function clampInt(v: string | null, lo: number, hi: number, fallback: number): number {
  const n = Number.parseInt(v ?? '', 10);
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : fallback;
}

function formFromParams(p: URLSearchParams): FormState {
  const kind = p.get('kind');
  return {
    kind: isKind(kind) ? kind : 'account',
    id: p.get('id') ?? '',
    hops: clampInt(p.get('hops'), 1, 4, 2),
    from: p.get('from') ?? '',
    to: p.get('to') ?? '',
    maxNodes: clampInt(p.get('maxNodes'), 10, 20_000, DEFAULT_MAX_NODES),
  };
}

function queryOf(f: FormState): NeighbourhoodQuery | null {
  const id = f.id.trim();
  if (!id) return null;
  return { kind: f.kind, id, hops: f.hops, from: toIsoBound(f.from, false), to: toIsoBound(f.to, true), maxNodes: f.maxNodes };
}

function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 404) return t('explorer.error.notFound', { message: err.message });
    return t('explorer.error.api', { status: err.status, code: err.code, message: err.message });
  }
  if (err instanceof SyntaxError) return t('explorer.import.invalid');
  return t('explorer.error.network');
}

export default function ExplorerPage() {
  const [params, setParams] = useSearchParams();
  const containerRef = useRef<HTMLDivElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const [ctl, setCtl] = useState<ExplorerController | null>(null);
  const snap = useSyncExternalStore(ctl?.subscribe ?? noopSubscribe, ctl?.getSnapshot ?? (() => EMPTY));

  const [form, setForm] = useState<FormState>(() => formFromParams(params));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const [truncated, setTruncated] = useState(false);
  const [pathFrom, setPathFrom] = useState(params.get('pathFrom') ?? '');
  const [pathTo, setPathTo] = useState(params.get('pathTo') ?? '');
  const [pathHops, setPathHops] = useState(6);
  const [pathMsg, setPathMsg] = useState<Message>(null);
  /** date range of the graph on screen: expansion and path use the same */
  const [range, setRange] = useState<{ from?: string; to?: string; maxNodes?: number }>({});
  const abortRef = useRef<AbortController | null>(null);

  useEffect(() => {
    const c = new ExplorerController(containerRef.current!);
    setCtl(c);
    return () => {
      abortRef.current?.abort();
      c.destroy();
      setCtl(null);
    };
  }, []);

  const explore = useCallback(
    async (q: NeighbourhoodQuery): Promise<boolean> => {
      if (!ctl) return false;
      abortRef.current?.abort();
      const ac = new AbortController();
      abortRef.current = ac;
      setBusy(true);
      setMessage(null);
      setPathMsg(null);
      try {
        const r = await fetchNeighbourhood(q, ac.signal);
        const { graph } = parseGraphJson({ nodes: r.nodes, edges: r.edges, center: r.center });
        await ctl.load(graph, 'server');
        setTruncated(r.truncated);
        setRange({ from: q.from, to: q.to, maxNodes: q.maxNodes });
        if (graph.nodes.length === 0) setMessage({ kind: 'notice', text: t('explorer.empty.result') });
        return true;
      } catch (err) {
        if (ac.signal.aborted) return false;
        setMessage({ kind: 'error', text: errorText(err) });
        return false;
      } finally {
        if (abortRef.current === ac) setBusy(false);
      }
    },
    [ctl],
  );

  const loadGraph = useCallback(
    async (raw: unknown): Promise<void> => {
      if (!ctl) throw new Error('explorer not mounted');
      abortRef.current?.abort();
      const { graph, dropped } = parseGraphJson(raw);
      await ctl.load(graph, 'import');
      setTruncated(false);
      setRange({});
      setPathMsg(null);
      setMessage({ kind: 'notice', text: t(dropped ? 'explorer.import.doneDropped' : 'explorer.import.done', { nodes: formatNumber(graph.nodes.length), edges: formatNumber(graph.edges.length), dropped: formatNumber(dropped) }) });
    },
    [ctl],
  );

  const runPath = useCallback(
    async (fromId: string, toId: string, maxHops: number): Promise<boolean> => {
      if (!ctl) return false;
      const a = fromId.trim();
      const b = toId.trim();
      if (!a || !b) {
        setPathMsg({ kind: 'error', text: t('explorer.path.needBoth') });
        return false;
      }
      setPathMsg({ kind: 'notice', text: t('explorer.path.searching') });
      let r: PathResponse;
      try {
        r = ctl.getSnapshot().source === 'import' ? ctl.localPath(a, b, maxHops) : await fetchPath({ fromId: a, toId: b, maxHops, from: range.from, to: range.to });
      } catch (err) {
        setPathMsg({ kind: 'error', text: errorText(err) });
        return false;
      }
      if (!r.found) {
        ctl.clearPath();
        setPathMsg({ kind: 'warning', text: t('explorer.path.none', { hops: maxHops }) });
        return false;
      }
      const added = ctl.merge(r.nodes, r.edges, a);
      ctl.setPath(
        r.nodes.map((n) => n.id),
        r.edges.map((e) => e.id),
      );
      const text = r.directed ? t('explorer.path.found', { hops: r.hops }) : t('explorer.path.undirected', { hops: r.hops });
      setPathMsg({ kind: r.directed ? 'notice' : 'warning', text: added.nodes > 0 ? t('explorer.path.withAdded', { text, nodes: added.nodes }) : text });
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.set('pathFrom', a);
          next.set('pathTo', b);
          return next;
        },
        { replace: true },
      );
      return true;
    },
    [ctl, range, setParams],
  );

  // Latest callbacks for the URL effect and the test hook (they must not re-run on every render).
  const exploreRef = useRef(explore);
  const runPathRef = useRef(runPath);
  const loadRef = useRef(loadGraph);
  const pathHopsRef = useRef(pathHops);
  useEffect(() => {
    exploreRef.current = explore;
    runPathRef.current = runPath;
    loadRef.current = loadGraph;
    pathHopsRef.current = pathHops;
  });

  // URL → form → load (on mount, and when navigation changes the query).
  const queryKey = ['kind', 'id', 'hops', 'from', 'to', 'maxNodes'].map((k) => params.get(k) ?? '').join('\u0000');
  useEffect(() => {
    if (!ctl) return;
    const f = formFromParams(params);
    setForm(f);
    const pf = params.get('pathFrom') ?? '';
    const pt = params.get('pathTo') ?? '';
    setPathFrom(pf);
    setPathTo(pt);
    const q = queryOf(f);
    if (!q) return;
    void exploreRef.current(q).then((ok) => {
      if (ok && pf && pt) void runPathRef.current(pf, pt, pathHopsRef.current);
    });
    // Keyed on the query part of the URL only: path parameters and the callbacks are read through refs.
  }, [ctl, queryKey]);

  useEffect(() => {
    if (!ctl) return;
    return installTestHook({
      load: (graph: GraphJson) => loadRef.current(graph),
      stats: () => ctl.stats(),
      measureFrames: (ms: number) => ctl.measureFrames(ms),
      selectNode: (id: string) => {
        ctl.select({ type: 'node', id });
        ctl.focusNode(id);
      },
      findPath: (from: string, to: string) => runPathRef.current(from, to, pathHopsRef.current),
    });
  }, [ctl]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const q = queryOf(form);
    if (!q) {
      setMessage({ kind: 'error', text: t('explorer.error.idRequired') });
      return;
    }
    const next = new URLSearchParams();
    next.set('kind', q.kind);
    next.set('id', q.id);
    next.set('hops', String(q.hops));
    if (form.from) next.set('from', form.from);
    if (form.to) next.set('to', form.to);
    if (form.maxNodes !== DEFAULT_MAX_NODES) next.set('maxNodes', String(form.maxNodes));
    const sameQuery = ['kind', 'id', 'hops', 'from', 'to', 'maxNodes'].every((k) => (next.get(k) ?? '') === (params.get(k) ?? ''));
    if (sameQuery) void explore(q);
    else setParams(next);
  };

  const onImportFile = async (file: File | undefined) => {
    if (!file || !ctl) return;
    setBusy(true);
    try {
      await loadGraph(JSON.parse(await file.text()) as unknown);
    } catch (err) {
      setMessage({ kind: 'error', text: err instanceof ApiError ? errorText(err) : t('explorer.import.invalid') });
    } finally {
      setBusy(false);
      if (fileRef.current) fileRef.current.value = '';
    }
  };

  const expand = async (id: string) => {
    const node = ctl?.getNode(id);
    if (!ctl || !node) return;
    setBusy(true);
    setMessage(null);
    try {
      const r = await fetchNeighbourhood({ kind: node.kind, id, hops: 1, from: range.from, to: range.to, maxNodes: range.maxNodes ?? DEFAULT_MAX_NODES });
      const { graph } = parseGraphJson({ nodes: r.nodes, edges: r.edges });
      const added = ctl.merge(graph.nodes, graph.edges, id);
      setMessage({ kind: r.truncated ? 'warning' : 'notice', text: t(r.truncated ? 'explorer.expand.addedTruncated' : 'explorer.expand.added', { nodes: added.nodes, edges: added.edges }) });
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  const exportPng = async () => {
    if (!ctl) return;
    downloadBlob(await ctl.toPng(), 'rastro-network.png');
  };

  const empty = snap.nodes === 0;

  return (
    <div className="explorer">
      <header className="explorer-head">
        <h1>{t('explorer.title')}</h1>
        <p className="explorer-counts" aria-live="polite">
          {t('explorer.counts.nodes')} <strong data-testid="explorer-node-count">{snap.nodes}</strong>
          {' · '}
          {t('explorer.counts.edges')} <strong data-testid="explorer-edge-count">{snap.edges}</strong>
          {snap.source === 'import' ? <span className="pill">{t('explorer.source.import')}</span> : null}
          {snap.layoutRunning ? <span className="pill">{t('explorer.layout.running')}</span> : null}
        </p>
      </header>

      <form className="explorer-query" onSubmit={onSubmit} aria-label={t('explorer.form.label')}>
        <label>
          {t('explorer.form.kind')}
          <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as EntityKind })}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`explorer.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          {t('explorer.form.id')}
          <input value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })} placeholder={t('explorer.form.idPlaceholder')} spellCheck={false} autoComplete="off" />
        </label>
        <label>
          {t('explorer.form.hops')}
          <select value={form.hops} onChange={(e) => setForm({ ...form, hops: Number(e.target.value) })}>
            {HOPS.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('explorer.form.from')}
          <input type="date" value={form.from.slice(0, 10)} max={form.to.slice(0, 10) || undefined} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </label>
        <label>
          {t('explorer.form.to')}
          <input type="date" value={form.to.slice(0, 10)} min={form.from.slice(0, 10) || undefined} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </label>
        <label>
          {t('explorer.form.maxNodes')}
          <select value={form.maxNodes} onChange={(e) => setForm({ ...form, maxNodes: Number(e.target.value) })}>
            {[...new Set([...MAX_NODES, form.maxNodes])].map((n) => (
              <option key={n} value={n}>
                {formatNumber(n)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy || !ctl}>
          {t('explorer.form.submit')}
        </button>
      </form>

      {message ? (
        <div className={`explorer-message ${message.kind === 'error' ? 'error' : message.kind === 'warning' ? 'explorer-warning' : 'notice'}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          <span>{message.text}</span>
          <button type="button" className="link" onClick={() => setMessage(null)}>
            {t('explorer.message.dismiss')}
          </button>
        </div>
      ) : null}
      {truncated ? (
        <p className="explorer-warning" role="status" data-testid="explorer-truncated">
          {t('explorer.truncated')}
        </p>
      ) : null}

      <div className="explorer-toolbar" role="group" aria-label={t('explorer.toolbar.label')}>
        <label className="inline">
          {t('explorer.mode.label')}
          <select value={snap.mode} onChange={(e) => ctl?.setMode(e.target.value as ColorMode)} data-testid="explorer-mode">
            {MODES.map((m) => (
              <option key={m} value={m}>
                {t(`explorer.mode.${m}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="secondary" disabled={empty} onClick={() => (snap.layoutRunning ? ctl?.stopLayout() : ctl?.startLayout())} data-testid="explorer-layout">
          {snap.layoutRunning ? t('explorer.layout.stop') : t('explorer.layout.run')}
        </button>
        <span className="sep" aria-hidden="true" />
        <button type="button" className="secondary" disabled={empty} onClick={() => void exportPng()} data-testid="explorer-export-png">
          {t('explorer.export.png')}
        </button>
        <button type="button" className="secondary" disabled={empty} onClick={() => ctl && downloadText(ctl.toSvg(), 'rastro-network.svg', 'image/svg+xml')} data-testid="explorer-export-svg">
          {t('explorer.export.svg')}
        </button>
        <button type="button" className="secondary" disabled={empty} onClick={() => ctl && downloadText(JSON.stringify(ctl.toJson()), 'rastro-network.json', 'application/json')} data-testid="explorer-export-json">
          {t('explorer.export.json')}
        </button>
        <button type="button" className="secondary" disabled={!ctl || busy} onClick={() => fileRef.current?.click()}>
          {t('explorer.import.button')}
        </button>
        <input ref={fileRef} className="explorer-file" type="file" accept="application/json,.json" tabIndex={-1} aria-label={t('explorer.import.button')} data-testid="explorer-import" onChange={(e) => void onImportFile(e.target.files?.[0])} />
      </div>

      <div className="explorer-body">
        <div className="explorer-stage">
          <div ref={containerRef} className="explorer-canvas" data-testid="explorer-canvas" role="img" aria-label={t('explorer.canvas.label', { nodes: snap.nodes, edges: snap.edges })} />
          {empty && !busy ? <p className="explorer-empty">{t('explorer.empty')}</p> : null}
          {busy ? (
            <p className="explorer-busy" role="status">
              {t('explorer.loading')}
            </p>
          ) : null}
          <div className="explorer-zoom" role="group" aria-label={t('explorer.zoom.label')}>
            <button type="button" className="secondary" onClick={() => ctl?.zoom(1.5)} aria-label={t('explorer.zoom.in')} title={t('explorer.zoom.in')}>
              +
            </button>
            <button type="button" className="secondary" onClick={() => ctl?.zoom(1 / 1.5)} aria-label={t('explorer.zoom.out')} title={t('explorer.zoom.out')}>
              −
            </button>
            <button type="button" className="secondary" onClick={() => ctl?.resetCamera()}>
              {t('explorer.zoom.reset')}
            </button>
          </div>
          {!empty ? <Legend mode={snap.mode} typologies={snap.typologies} pathActive={snap.pathActive} timeFiltered={snap.slider < 1000} hasCenter={snap.center !== null} /> : null}
        </div>

        <aside className="explorer-side" aria-label={t('explorer.side.label')}>
          <FindNode ctl={ctl} dataVersion={snap.dataVersion} />

          <form
            className="explorer-path"
            aria-labelledby="explorer-path-title"
            onSubmit={(e) => {
              e.preventDefault();
              void runPath(pathFrom, pathTo, pathHops);
            }}
          >
            <h2 id="explorer-path-title">{t('explorer.path.title')}</h2>
            <label>
              {t('explorer.path.from')}
              <input value={pathFrom} onChange={(e) => setPathFrom(e.target.value)} spellCheck={false} autoComplete="off" data-testid="explorer-path-from" />
            </label>
            <label>
              {t('explorer.path.to')}
              <input value={pathTo} onChange={(e) => setPathTo(e.target.value)} spellCheck={false} autoComplete="off" data-testid="explorer-path-to" />
            </label>
            <div className="row">
              <label>
                {t('explorer.path.maxHops')}
                <select value={pathHops} onChange={(e) => setPathHops(Number(e.target.value))}>
                  {PATH_HOPS.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" disabled={!ctl}>
                {t('explorer.path.find')}
              </button>
              {snap.pathActive ? (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => {
                    ctl?.clearPath();
                    setPathMsg(null);
                  }}
                >
                  {t('explorer.path.clear')}
                </button>
              ) : null}
            </div>
            <p className={`explorer-path-result ${pathMsg ? pathMsg.kind : ''}`} data-testid="explorer-path-result" role="status">
              {pathMsg?.text ?? ''}
            </p>
          </form>

          {ctl && snap.selection ? (
            <DetailsPanel
              key={`${snap.selection.type}:${snap.selection.id}`}
              ctl={ctl}
              selection={snap.selection}
              dataVersion={snap.dataVersion}
              busy={busy}
              onExpand={(id) => void expand(id)}
              onPathStart={(id) => setPathFrom(id)}
              onPathEnd={(id) => setPathTo(id)}
            />
          ) : (
            <p className="muted explorer-hint">{empty ? '' : t(snap.edgeEvents ? 'explorer.panel.hint' : 'explorer.panel.hintNoEdgeEvents')}</p>
          )}
        </aside>
      </div>

      <TimeBar key={snap.loadVersion} ctl={ctl} slider={snap.slider} timeMin={snap.timeMin} timeMax={snap.timeMax} />
    </div>
  );
}
