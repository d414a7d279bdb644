/** Search across accounts, parties, wallets, transactions, cases and alerts the agency may see. */
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { ErrorBox, Loading, useLoad } from '../components/Status';
import { TlpBadge } from '../components/TlpBadge';
import { t } from '../strings';

function linkOf(kind: string, id: string): string {
  const e = encodeURIComponent(id);
  switch (kind) {
    case 'case':
      return `/cases/${e}`;
    case 'alert':
      return `/alerts/${e}`;
    default:
      return `/explore?kind=${kind}&id=${e}&hops=2`;
  }
}

export default function SearchPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const { data, error, loading } = useLoad(async () => (q.length >= 2 ? unwrap(await api.GET('/api/search', { params: { query: { q, limit: 100 } } })) : { items: [] }), [q]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setParams(text.trim() ? { q: text.trim() } : {});
  };
  return (
    <div>
      <h1>{t('search.title')}</h1>
      <form className="row" role="search" onSubmit={submit}>
        <label>
          {t('search.label')}
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} minLength={2} style={{ width: '28rem' }} data-testid="search-input" />
        </label>
        <button type="submit">{t('search.submit')}</button>
      </form>
      <ErrorBox error={error} />
      {loading && q ? <Loading /> : null}
      {data && q.length >= 2 ? (
        data.items.length === 0 ? (
          <p className="muted">{t('search.none', { q })}</p>
        ) : (
          <ul className="results" data-testid="search-results">
            {data.items.map((r) => (
              <li key={`${r.kind}:${r.id}`}>
                <span className="pill">{t(`itemKind.${r.kind}` as 'itemKind.account')}</span>{' '}
                {r.kind === 'transaction' ? <span className="mono">{r.id}</span> : <Link to={linkOf(r.kind, r.id)}>{r.label || r.id}</Link>}
                {r.label && r.label !== r.id && r.kind !== 'transaction' ? <span className="mono muted"> {r.id}</span> : null} <TlpBadge tlp={r.tlp} />
                {r.detail ? <span className="muted"> — {r.detail}</span> : null}
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}
