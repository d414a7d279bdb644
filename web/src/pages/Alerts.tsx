/**
 * The alert queue: filter and sort on the server, virtualised rows (only what is on screen is in the DOM),
 * pages of 500 fetched as the list scrolls — 100,000 alerts scroll like 100.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, unwrap, type Alert, type paths } from '../api/client';
import { ErrorBox } from '../components/Status';
import { TlpBadge } from '../components/TlpBadge';
import { formatMoney, formatNumber, formatTime, t } from '../strings';

const PAGE = 500;
const ROW_PX = 34;
type Sort = 'score' | 'time' | 'amount' | 'typology';
const FILTERS = ['typology', 'status', 'account', 'minScore', 'from', 'to', 'assignee', 'scope', 'corridor'] as const;
const STATUSES = ['new', 'assigned', 'false-positive', 'escalated', 'sar'] as const;

type AlertQuery = NonNullable<paths['/api/alerts']['get']['parameters']['query']>;

export default function AlertsPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const sort = (params.get('sort') as Sort | null) ?? 'score';
  const order = (params.get('order') as 'asc' | 'desc' | null) ?? (sort === 'typology' ? 'asc' : 'desc');
  const filterKey = params.toString();

  const query = useMemo(() => {
    const q: Record<string, string | number> = { sort, order };
    for (const f of FILTERS) {
      const v = params.get(f);
      if (v) q[f] = f === 'minScore' ? Number(v) : v;
    }
    return q as unknown as AlertQuery;
  }, [filterKey]);

  const [count, setCount] = useState<number | undefined>();
  const [error, setError] = useState<unknown>();
  const pages = useRef(new Map<number, Alert[] | 'loading'>());
  const [, setVersion] = useState(0);

  useEffect(() => {
    pages.current = new Map();
    setCount(undefined);
    setError(undefined);
    const { sort: _s, order: _o, ...countQuery } = query as Record<string, unknown>;
    api.GET('/api/alerts/count', { params: { query: countQuery as never } }).then(
      (r) => setCount(unwrap(r).count),
      (e: unknown) => setError(e),
    );
  }, [query]);

  const loadPage = useCallback(
    (p: number) => {
      if (pages.current.has(p)) return;
      pages.current.set(p, 'loading');
      api.GET('/api/alerts', { params: { query: { ...query, limit: PAGE, offset: p * PAGE } } }).then(
        (r) => {
          pages.current.set(p, unwrap(r).items);
          setVersion((v) => v + 1);
        },
        (e: unknown) => {
          pages.current.delete(p);
          setError(e);
        },
      );
    },
    [query],
  );

  const scroller = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({ count: count ?? 0, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 12 });
  const items = rows.getVirtualItems();
  useEffect(() => {
    for (const it of items) loadPage(Math.floor(it.index / PAGE));
  }, [items, loadPage]);

  const rowAt = (i: number): Alert | undefined => {
    const page = pages.current.get(Math.floor(i / PAGE));
    return page && page !== 'loading' ? page[i % PAGE] : undefined;
  };

  const setFilter = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const f of FILTERS) {
      const v = String(form.get(f) ?? params.get(f) ?? '').trim();
      if (v) next.set(f, v);
    }
    next.set('sort', sort);
    next.set('order', order);
    setParams(next);
  };

  const sortBy = (s: Sort) => {
    const next = new URLSearchParams(params);
    const nextOrder = s === sort ? (order === 'asc' ? 'desc' : 'asc') : s === 'typology' ? 'asc' : 'desc';
    next.set('sort', s);
    next.set('order', nextOrder);
    setParams(next);
  };

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    const index = Number(target.dataset.index);
    if (!Number.isFinite(index)) return;
    const move = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : e.key === 'PageDown' ? 15 : e.key === 'PageUp' ? -15 : 0;
    if (move === 0) return;
    e.preventDefault();
    const next = Math.max(0, Math.min((count ?? 1) - 1, index + move));
    rows.scrollToIndex(next);
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus());
  };

  const arrow = (s: Sort) => (s === sort ? (order === 'asc' ? ' ▲' : ' ▼') : '');
  const ariaSort = (s: Sort) => (s === sort ? (order === 'asc' ? 'ascending' : 'descending') : 'none');

  return (
    <div>
      <h1>{t('alerts.title')}</h1>
      <form className="row" onSubmit={setFilter} key={filterKey} aria-label={t('alerts.filters')}>
        <label>
          {t('alert.typology')}
          <input name="typology" defaultValue={params.get('typology') ?? ''} />
        </label>
        <label>
          {t('alert.status')}
          <select name="status" defaultValue={params.get('status') ?? ''}>
            <option value="">{t('alerts.any')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('alert.account')}
          <input name="account" defaultValue={params.get('account') ?? ''} />
        </label>
        <label>
          {t('alerts.minScore')}
          <input name="minScore" type="number" min={0} max={1} step={0.05} defaultValue={params.get('minScore') ?? ''} style={{ width: '6rem' }} />
        </label>
        <label>
          {t('alerts.scope')}
          <select name="scope" defaultValue={params.get('scope') ?? 'own'}>
            <option value="own">{t('scope.own')}</option>
            <option value="shared">{t('scope.shared')}</option>
            <option value="all">{t('scope.all')}</option>
          </select>
        </label>
        <button type="submit">{t('alerts.apply')}</button>
        <button type="button" className="secondary" onClick={() => setParams(new URLSearchParams())}>
          {t('alerts.clear')}
        </button>
        <span className="muted" data-testid="alert-count" aria-live="polite">
          {count === undefined ? t('status.loading') : t('alerts.count', { n: formatNumber(count) })}
        </span>
      </form>
      {params.get('from') || params.get('to') || params.get('corridor') ? (
        <p className="muted">
          {params.get('from') ? t('alerts.fromFilter', { from: formatTime(params.get('from')!) }) : ''} {params.get('to') ? t('alerts.toFilter', { to: formatTime(params.get('to')!) }) : ''}{' '}
          {params.get('corridor') ? t('alerts.corridorFilter', { corridor: params.get('corridor')! }) : ''}
        </p>
      ) : null}
      <ErrorBox error={error} />
      <div style={{ marginTop: '0.75rem' }} role="table" aria-label={t('alerts.title')} aria-rowcount={count ?? 0}>
        <div className="vhead" role="row">
          <span role="columnheader" aria-sort={ariaSort('score')}>
            <button type="button" onClick={() => sortBy('score')}>
              {t('alert.score')}
              {arrow('score')}
            </button>
          </span>
          <span role="columnheader" aria-sort={ariaSort('typology')}>
            <button type="button" onClick={() => sortBy('typology')}>
              {t('alert.typology')}
              {arrow('typology')}
            </button>
          </span>
          <span role="columnheader" aria-sort={ariaSort('amount')} className="num">
            <button type="button" onClick={() => sortBy('amount')}>
              {t('alert.amount')}
              {arrow('amount')}
            </button>
          </span>
          <span role="columnheader">{t('alert.accounts')}</span>
          <span role="columnheader" aria-sort={ariaSort('time')}>
            <button type="button" onClick={() => sortBy('time')}>
              {t('alert.from')}
              {arrow('time')}
            </button>
          </span>
          <span role="columnheader">{t('alert.status')}</span>
          <span role="columnheader">{t('alert.assignee')}</span>
          <span role="columnheader">TLP</span>
        </div>
        <div className="vlist" ref={scroller} onKeyDown={onKey} data-testid="alert-list">
          <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
            {items.map((it) => {
              const a = rowAt(it.index);
              const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, height: ROW_PX, transform: `translateY(${it.start}px)` };
              if (!a) {
                return (
                  <div key={it.key} className="vrow muted" style={style} role="row" aria-rowindex={it.index + 1}>
                    <span>…</span>
                  </div>
                );
              }
              return (
                <Link
                  key={it.key}
                  to={`/alerts/${encodeURIComponent(a.id)}`}
                  className="vrow"
                  style={style}
                  role="row"
                  aria-rowindex={it.index + 1}
                  data-index={it.index}
                  data-testid="alert-row"
                  onDoubleClick={() => navigate(`/alerts/${encodeURIComponent(a.id)}`)}
                >
                  <span className="score" role="cell">
                    {a.score.toFixed(2)}
                  </span>
                  <span role="cell">{a.typology}</span>
                  <span role="cell" className="num">
                    {formatMoney(a.amountMinor, a.currency)}
                  </span>
                  <span role="cell" className="mono" title={a.accounts.join(', ')}>
                    {a.accounts.slice(0, 3).join(', ')}
                    {a.accounts.length > 3 ? ` +${a.accounts.length - 3}` : ''}
                  </span>
                  <span role="cell">{formatTime(a.from)}</span>
                  <span role="cell" className={`status-${a.status}`}>
                    {t(`status.${a.status}`)}
                  </span>
                  <span role="cell">{a.assignee ?? '—'}</span>
                  <span role="cell">
                    <TlpBadge tlp={a.tlp} />
                  </span>
                </Link>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
