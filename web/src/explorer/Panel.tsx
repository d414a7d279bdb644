/** Side panel parts: "find node" search and the details of the selected node or edge. */
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import { TlpBadge } from '../components/TlpBadge';
import { formatMoney, formatNumber, formatTime, formatUsd, t } from '../strings';
import type { ExplorerController, Selection } from './controller';
import type { GraphEdge, GraphNode } from './types';

const FIND_LIMIT = 8;

/** Search box over the loaded nodes (id or label); Enter picks the first match, arrows move through the list. */
export function FindNode({ ctl, dataVersion }: { ctl: ExplorerController | null; dataVersion: number }) {
  const [q, setQ] = useState('');
  const deferred = useDeferredValue(q);
  const listRef = useRef<HTMLUListElement>(null);
  const id = useId();
  const results = useMemo(() => (ctl && dataVersion >= 0 ? ctl.search(deferred, FIND_LIMIT) : []), [ctl, deferred, dataVersion]);

  const pick = (node: GraphNode) => {
    if (!ctl) return;
    ctl.select({ type: 'node', id: node.id });
    ctl.focusNode(node.id);
  };
  const focusItem = (i: number) => {
    const buttons = listRef.current?.querySelectorAll('button');
    if (!buttons || buttons.length === 0) return;
    buttons[Math.max(0, Math.min(buttons.length - 1, i))]?.focus();
  };
  const onInputKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (results[0]) pick(results[0]);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      focusItem(0);
    }
  };
  const onItemKey = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      focusItem(i + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (i === 0) document.getElementById(`${id}-input`)?.focus();
      else focusItem(i - 1);
    }
  };

  return (
    <section className="explorer-find" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('explorer.find.title')}</h2>
      <label>
        {t('explorer.find.label')}
        <input
          id={`${id}-input`}
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={onInputKey}
          placeholder={t('explorer.find.placeholder')}
          aria-describedby={`${id}-count`}
          autoComplete="off"
          spellCheck={false}
          disabled={!ctl}
          data-testid="explorer-find"
        />
      </label>
      <p id={`${id}-count`} className="sr-only" aria-live="polite">
        {deferred.trim() ? t('explorer.find.count', { count: results.length }) : ''}
      </p>
      {results.length > 0 ? (
        <ul ref={listRef} className="explorer-find-results">
          {results.map((n, i) => (
            <li key={n.id}>
              <button type="button" className="link" onClick={() => pick(n)} onKeyDown={(e) => onItemKey(e, i)}>
                <span className="explorer-find-label">{n.label || n.id}</span>
                <span className="mono muted">{n.id}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : deferred.trim() ? (
        <p className="muted">{t('explorer.find.none')}</p>
      ) : null}
    </section>
  );
}

interface DetailsProps {
  ctl: ExplorerController;
  selection: NonNullable<Selection>;
  dataVersion: number;
  busy: boolean;
  onExpand(id: string): void;
  onPathStart(id: string): void;
  onPathEnd(id: string): void;
}

export function DetailsPanel(props: DetailsProps) {
  const { ctl, selection } = props;
  const ref = useRef<HTMLElement>(null);
  // Bring the details into view in the scrolling side panel (without moving keyboard focus).
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return (
    <section ref={ref} className="explorer-panel" data-testid="explorer-panel" aria-labelledby="explorer-panel-title">
      <div className="explorer-panel-head">
        <h2 id="explorer-panel-title">{selection.type === 'node' ? t('explorer.panel.node') : t('explorer.panel.edge')}</h2>
        <button type="button" className="secondary small" onClick={() => ctl.select(null)} aria-label={t('explorer.panel.closeLabel')}>
          {t('explorer.panel.close')}
        </button>
      </div>
      {selection.type === 'node' ? <NodeDetails {...props} id={selection.id} /> : <EdgeDetails ctl={ctl} id={selection.id} />}
    </section>
  );
}

function List({ items }: { items: readonly string[] }) {
  if (items.length === 0) return <span className="muted">{t('explorer.none')}</span>;
  return (
    <span className="explorer-pills">
      {items.map((x) => (
        <span key={x} className="pill">
          {x}
        </span>
      ))}
    </span>
  );
}

function NodeDetails({ ctl, id, busy, onExpand, onPathStart, onPathEnd }: DetailsProps & { id: string }) {
  const node = ctl.getNode(id);
  if (!node) return <p className="muted">{t('explorer.panel.gone')}</p>;
  const flows = ctl.topEdges(id, 8);
  const isCenter = ctl.getSnapshot().center === id;
  return (
    <>
      <p className="explorer-title-line">
        <strong>{node.label || node.id}</strong> <TlpBadge tlp={node.tlp} />
        {isCenter ? <span className="pill">{t('explorer.panel.center')}</span> : null}
      </p>
      <dl className="explorer-dl">
        <dt>{t('explorer.field.id')}</dt>
        <dd className="mono">{node.id}</dd>
        <dt>{t('explorer.field.kind')}</dt>
        <dd>{t(`explorer.kind.${node.kind}`)}</dd>
        <dt>{t('explorer.field.risk')}</dt>
        <dd>
          <span className="explorer-risk">
            <span className="explorer-risk-bar" aria-hidden="true">
              <span style={{ width: `${Math.round(node.risk * 100)}%` }} />
            </span>
            {node.risk.toFixed(2)}
          </span>
        </dd>
        <dt>{t('explorer.field.typologies')}</dt>
        <dd>
          <List items={node.typologies} />
        </dd>
        <dt>{t('explorer.field.tags')}</dt>
        <dd>
          <List items={node.tags} />
        </dd>
        <dt>{t('explorer.field.alerts')}</dt>
        <dd>{formatNumber(node.alerts)}</dd>
        <dt>{t('explorer.field.degree')}</dt>
        <dd>{formatNumber(ctl.nodeDegree(id))}</dd>
      </dl>
      <p>
        <Link to={`/alerts?account=${encodeURIComponent(node.id)}`}>{t('explorer.panel.alerts', { count: node.alerts })}</Link>
      </p>
      <div className="explorer-actions">
        <button type="button" onClick={() => onExpand(id)} disabled={busy} data-testid="explorer-expand">
          {t('explorer.panel.expand')}
        </button>
        <button type="button" className="secondary" onClick={() => onPathStart(id)}>
          {t('explorer.panel.pathStart')}
        </button>
        <button type="button" className="secondary" onClick={() => onPathEnd(id)}>
          {t('explorer.panel.pathEnd')}
        </button>
        <button type="button" className="secondary" onClick={() => ctl.focusNode(id)}>
          {t('explorer.panel.centre')}
        </button>
      </div>
      {flows.length > 0 ? (
        <>
          <h3>{t('explorer.panel.flows')}</h3>
          <ul className="explorer-flows">
            {flows.map((e) => (
              <li key={e.id}>
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    ctl.select({ type: 'edge', id: e.id });
                    ctl.focusEdge(e.id);
                  }}
                >
                  {flowText(ctl, e, id)}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

function flowText(ctl: ExplorerController, e: GraphEdge, from: string): string {
  const outgoing = e.source === from;
  const other = ctl.getNode(outgoing ? e.target : e.source);
  const name = other?.label || (outgoing ? e.target : e.source);
  return t(outgoing ? 'explorer.flow.out' : 'explorer.flow.in', { name, amount: formatUsd(e.amountUsd), count: formatNumber(e.count) });
}

function EdgeDetails({ ctl, id }: { ctl: ExplorerController; id: string }) {
  const e = ctl.getEdge(id);
  if (!e) return <p className="muted">{t('explorer.panel.gone')}</p>;
  const tlp = ctl.edgeTlp(id);
  const end = (nodeId: string) => {
    const n = ctl.getNode(nodeId);
    return (
      <button type="button" className="link" onClick={() => ctl.select({ type: 'node', id: nodeId })}>
        {n?.label || nodeId}
      </button>
    );
  };
  return (
    <>
      <p className="explorer-title-line">
        {end(e.source)} <span aria-hidden="true">→</span>
        <span className="sr-only">{t('explorer.edge.to')}</span> {end(e.target)}
      </p>
      {tlp ? (
        <p>
          <TlpBadge tlp={tlp} /> <span className="muted">{t('explorer.edge.tlpNote')}</span>
        </p>
      ) : null}
      <dl className="explorer-dl">
        <dt>{t('explorer.field.id')}</dt>
        <dd className="mono">{e.id}</dd>
        <dt>{t('explorer.field.count')}</dt>
        <dd>{formatNumber(e.count)}</dd>
        <dt>{t('explorer.field.amount')}</dt>
        <dd>{e.currency === '' ? t('explorer.edge.link') : e.currency === 'MIXED' ? t('explorer.edge.mixed') : formatMoney(e.amountMinor, e.currency)}</dd>
        <dt>{t('explorer.field.amountUsd')}</dt>
        <dd>{formatUsd(e.amountUsd)}</dd>
        <dt>{t('explorer.field.currency')}</dt>
        <dd>{e.currency || t('explorer.none')}</dd>
        <dt>{t('explorer.field.first')}</dt>
        <dd>{e.firstTime ? formatTime(e.firstTime) : t('explorer.none')}</dd>
        <dt>{t('explorer.field.last')}</dt>
        <dd>{e.lastTime ? formatTime(e.lastTime) : t('explorer.none')}</dd>
        <dt>{t('explorer.field.typologies')}</dt>
        <dd>
          <List items={e.typologies} />
        </dd>
      </dl>
    </>
  );
}
