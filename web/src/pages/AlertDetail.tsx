/** One alert: why it fired, the money behind it, the subgraph; assign, disposition with a reason, escalate to a case. */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap, type Alert, type Transaction } from '../api/client';
import { ErrorBox, Loading, useLoad } from '../components/Status';
import { SubGraph } from '../components/SubGraph';
import { TlpBadge } from '../components/TlpBadge';
import { can, useMe } from '../session';
import { formatMoney, formatTime, t } from '../strings';

const MAX_ACCOUNT_QUERIES = 25;

/** The alert's own transactions: each of its accounts' transactions over the alert's span, kept when the alert names them. */
async function alertTransactions(a: Alert): Promise<Transaction[]> {
  const wanted = new Set(a.transactions);
  const found = new Map<string, Transaction>();
  const to = new Date(Date.parse(a.to) + 1).toISOString();
  for (const account of a.accounts.slice(0, MAX_ACCOUNT_QUERIES)) {
    if (found.size >= wanted.size) break;
    const page = unwrap(await api.GET('/api/transactions', { params: { query: { account, from: a.from, to, limit: 1000 } } }));
    for (const x of page.items) if (wanted.has(x.id)) found.set(x.id, x);
  }
  return [...found.values()].sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : 0));
}

export default function AlertDetail() {
  const { id = '' } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const alert = useLoad(async () => unwrap(await api.GET('/api/alerts/{id}', { params: { path: { id } } })), [id]);
  const a = alert.data;
  const txs = useLoad(async () => (a ? alertTransactions(a) : []), [a?.id, a?.updated]);
  const [reason, setReason] = useState('');
  const [disposition, setDisposition] = useState<'false-positive' | 'escalate' | 'sar'>('escalate');
  const [caseId, setCaseId] = useState('');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>();
  const [notice, setNotice] = useState('');

  if (alert.error) return <ErrorBox error={alert.error} />;
  if (!a) return <Loading />;
  const own = a.tenantId === me.tenant.id;
  const mayWork = own && can(me, 'alerts:work');
  const closed = a.status === 'false-positive' || a.status === 'escalated' || a.status === 'sar';

  const act = async (what: () => Promise<void>) => {
    setBusy(true);
    setActionError(undefined);
    setNotice('');
    try {
      await what();
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  };

  const assignToMe = () =>
    act(async () => {
      unwrap(await api.POST('/api/alerts/{id}/assign', { params: { path: { id } }, body: { assignee: me.actor } }));
      setNotice(t('alert.assignedToYou'));
      alert.reload();
    });

  const submitDisposition = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const out = unwrap(
        await api.POST('/api/alerts/{id}/disposition', {
          params: { path: { id } },
          body: { disposition, reason, ...(caseId.trim() && disposition !== 'false-positive' ? { caseId: caseId.trim() } : {}) },
        }),
      );
      if (out.caseId) navigate(`/cases/${encodeURIComponent(out.caseId)}`);
      else {
        setNotice(t('alert.dispositioned', { status: t(`status.${out.alert.status}`) }));
        alert.reload();
      }
    });
  };

  return (
    <div>
      <p>
        <Link to="/alerts">← {t('alerts.back')}</Link>
      </p>
      <h1>
        {a.typology} <span className="score">{a.score.toFixed(2)}</span> <TlpBadge tlp={a.tlp} />
      </h1>
      <p className="muted">
        <span className="mono">{a.id}</span> · {formatTime(a.from)} – {formatTime(a.to)} · {formatMoney(a.amountMinor, a.currency)} ·{' '}
        <span className={`status-${a.status}`} data-testid="alert-status">
          {t(`status.${a.status}`)}
        </span>
        {a.assignee ? ` · ${t('alert.assignee')}: ${a.assignee}` : ''}
        {a.caseId ? (
          <>
            {' · '}
            <Link to={`/cases/${encodeURIComponent(a.caseId)}`}>{t('alert.case', { id: a.caseId })}</Link>
          </>
        ) : null}
        {!own ? ` · ${t('alert.sharedBy', { tenant: a.tenantId })}` : ''}
      </p>
      <div className="detail">
        <div>
          <section className="card">
            <h2>{t('alert.explanation')}</h2>
            <p data-testid="alert-explanation">{a.explanation}</p>
            <table>
              <thead>
                <tr>
                  <th>{t('alert.factor')}</th>
                  <th className="num">{t('alert.value')}</th>
                  <th className="num">{t('alert.weight')}</th>
                </tr>
              </thead>
              <tbody>
                {a.factors.map((f) => (
                  <tr key={f.name}>
                    <td>{f.name}</td>
                    <td className="num">{Number.isInteger(f.value) ? f.value : f.value.toFixed(3)}</td>
                    <td className="num">{f.weight.toFixed(2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="card" style={{ marginTop: '1rem' }}>
            <h2>{t('alert.subgraph')}</h2>
            {txs.data ? <SubGraph transactions={txs.data} highlight={a.accounts.slice(0, 1)} /> : <Loading />}
            <p>
              {t('alert.accounts')}:{' '}
              {a.accounts.map((acc) => (
                <span key={acc}>
                  <Link className="mono" to={`/explore?kind=account&id=${encodeURIComponent(acc)}&hops=2`}>
                    {acc}
                  </Link>{' '}
                </span>
              ))}
            </p>
          </section>
          <section className="card" style={{ marginTop: '1rem' }}>
            <h2>{t('alert.transactions', { n: a.transactions.length })}</h2>
            <ErrorBox error={txs.error} />
            <table data-testid="alert-transactions">
              <thead>
                <tr>
                  <th>{t('tx.time')}</th>
                  <th>{t('tx.from')}</th>
                  <th>{t('tx.to')}</th>
                  <th className="num">{t('tx.amount')}</th>
                  <th>{t('tx.channel')}</th>
                  <th>TLP</th>
                </tr>
              </thead>
              <tbody>
                {(txs.data ?? []).map((x) => (
                  <tr key={x.id}>
                    <td>{formatTime(x.time)}</td>
                    <td className="mono">{x.fromAccount}</td>
                    <td className="mono">{x.toAccount}</td>
                    <td className="num">{formatMoney(x.amountMinor, x.currency)}</td>
                    <td>{x.channel}</td>
                    <td>
                      <TlpBadge tlp={x.tlp} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {txs.data && txs.data.length < a.transactions.length ? <p className="muted">{t('alert.someTransactionsHidden', { n: a.transactions.length - txs.data.length })}</p> : null}
          </section>
        </div>
        <aside className="actions card" aria-label={t('alert.actions')}>
          <h2>{t('alert.actions')}</h2>
          {notice ? (
            <p className="notice" role="status">
              {notice}
            </p>
          ) : null}
          <ErrorBox error={actionError} />
          {mayWork ? (
            <>
              <button type="button" className="secondary" onClick={() => void assignToMe()} disabled={busy || closed || a.assignee === me.actor}>
                {t('alert.assignToMe')}
              </button>
              <form onSubmit={submitDisposition} aria-label={t('alert.disposition')}>
                <label>
                  {t('alert.disposition')}
                  <select value={disposition} onChange={(e) => setDisposition(e.target.value as typeof disposition)} name="disposition" disabled={closed}>
                    <option value="escalate">{t('disposition.escalate')}</option>
                    <option value="false-positive">{t('disposition.false-positive')}</option>
                    <option value="sar">{t('disposition.sar')}</option>
                  </select>
                </label>
                <label>
                  {t('alert.reason')}
                  <textarea name="reason" rows={4} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={10} disabled={closed} />
                </label>
                {disposition !== 'false-positive' ? (
                  <label>
                    {t('alert.existingCase')}
                    <input name="caseId" value={caseId} onChange={(e) => setCaseId(e.target.value)} placeholder={t('alert.newCase')} disabled={closed} />
                  </label>
                ) : null}
                <button type="submit" disabled={busy || closed || reason.trim().length < 10}>
                  {disposition === 'false-positive' ? t('alert.closeFalsePositive') : t('alert.escalate')}
                </button>
                {closed ? <p className="muted">{t('alert.closed')}</p> : null}
              </form>
            </>
          ) : (
            <p className="muted">{own ? t('alert.readOnlyRole') : t('alert.readOnlyShared')}</p>
          )}
        </aside>
      </div>
    </div>
  );
}
