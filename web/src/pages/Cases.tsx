/** Cases of the agency (and those shared with it), by status. */
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { ErrorBox, Loading, useLoad } from '../components/Status';
import { TlpBadge } from '../components/TlpBadge';
import { formatTime, t } from '../strings';

const STATUSES = ['open', 'in-review', 'closed'] as const;

export default function CasesPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') as (typeof STATUSES)[number] | null;
  const scope = (params.get('scope') as 'own' | 'shared' | 'all' | null) ?? 'own';
  const { data, error } = useLoad(
    async () => unwrap(await api.GET('/api/cases', { params: { query: { ...(status ? { status } : {}), scope, limit: 1000 } } })),
    [status, scope],
  );
  return (
    <div>
      <h1>{t('cases.title')}</h1>
      <div className="row" role="group" aria-label={t('cases.filter')}>
        <label>
          {t('case.status')}
          <select
            value={status ?? ''}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value) next.set('status', e.target.value);
              else next.delete('status');
              setParams(next);
            }}
          >
            <option value="">{t('alerts.any')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`caseStatus.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('alerts.scope')}
          <select
            value={scope}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              next.set('scope', e.target.value);
              setParams(next);
            }}
          >
            <option value="own">{t('scope.own')}</option>
            <option value="shared">{t('scope.shared')}</option>
            <option value="all">{t('scope.all')}</option>
          </select>
        </label>
      </div>
      <ErrorBox error={error} />
      {!data ? (
        <Loading />
      ) : data.items.length === 0 ? (
        <p className="muted">{t('cases.none')}</p>
      ) : (
        <table style={{ marginTop: '0.75rem' }} data-testid="case-list">
          <thead>
            <tr>
              <th>{t('case.title')}</th>
              <th>{t('case.status')}</th>
              <th>{t('case.assignee')}</th>
              <th>{t('case.updated')}</th>
              <th>TLP</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((c) => (
              <tr key={`${c.tenantId}/${c.id}`}>
                <td>
                  <Link to={`/cases/${encodeURIComponent(c.id)}`}>{c.title}</Link> <span className="muted mono">{c.id}</span>
                </td>
                <td>{t(`caseStatus.${c.status}`)}</td>
                <td>{c.assignee ?? '—'}</td>
                <td>{formatTime(c.updated)}</td>
                <td>
                  <TlpBadge tlp={c.tlp} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
