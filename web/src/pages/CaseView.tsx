/**
 * One case: what it holds (parties, accounts, wallets, alerts, transactions), notes, attachments, decisions,
 * its timeline, and the goAML / FinCEN exports (validated by the server against their schemas before download).
 */
import { useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, download, unwrap, upload } from '../api/client';
import { ErrorBox, Loading, useLoad } from '../components/Status';
import { TlpBadge } from '../components/TlpBadge';
import { can, useMe } from '../session';
import { formatTime, t } from '../strings';

const ITEM_KINDS = ['party', 'account', 'wallet', 'alert', 'transaction'] as const;
const DECISIONS = ['file-str', 'file-sar', 'close-no-action', 'refer-to-law-enforcement', 'request-information', 'keep-monitoring'] as const;
const STATUSES = ['open', 'in-review', 'closed'] as const;

export default function CaseView() {
  const { id = '' } = useParams();
  const me = useMe();
  const path = { params: { path: { id } } };
  const detail = useLoad(async () => unwrap(await api.GET('/api/cases/{id}', path)), [id]);
  const notes = useLoad(async () => unwrap(await api.GET('/api/cases/{id}/notes', { params: { path: { id }, query: { limit: 1000 } } })), [id]);
  const timeline = useLoad(async () => unwrap(await api.GET('/api/cases/{id}/timeline', { params: { path: { id }, query: { limit: 1000 } } })), [id]);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const [decision, setDecision] = useState<(typeof DECISIONS)[number]>('file-str');
  const [decisionReason, setDecisionReason] = useState('');
  const [itemKind, setItemKind] = useState<(typeof ITEM_KINDS)[number]>('account');
  const [itemRef, setItemRef] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);

  if (detail.error) return <ErrorBox error={detail.error} />;
  if (!detail.data) return <Loading />;
  const { case: c, items, decisions, attachments } = detail.data;
  const own = c.tenantId === me.tenant.id;
  const mayWrite = own && can(me, 'cases:write');
  const mayDecide = own && can(me, 'cases:decide');
  const mayExport = own && can(me, 'reports:export');

  const act = async (what: () => Promise<string | void>) => {
    setBusy(true);
    setError(undefined);
    setNotice('');
    try {
      const msg = await what();
      if (msg) setNotice(msg);
      detail.reload();
      timeline.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const exportReport = (format: 'goaml' | 'fincen') =>
    act(async () => {
      const file = await download(`/api/cases/${encodeURIComponent(id)}/report/${format}`, `rastro-${id}-${format}.xml`);
      return t('case.exported', { name: file.name, bytes: file.bytes });
    });

  const addNote = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      unwrap(await api.POST('/api/cases/{id}/notes', { params: { path: { id } }, body: { body: note } }));
      setNote('');
      notes.reload();
    });
  };

  const addItem = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      unwrap(await api.POST('/api/cases/{id}/items', { params: { path: { id } }, body: { items: [{ kind: itemKind, ref: itemRef.trim() }] } }));
      setItemRef('');
    });
  };

  const decide = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const d = unwrap(await api.POST('/api/cases/{id}/decisions', { params: { path: { id } }, body: { kind: decision, reason: decisionReason } }));
      setDecisionReason('');
      return t('case.decided', { kind: t(`decision.${decision}`), status: d.caseStatus });
    });
  };

  const setStatus = (status: (typeof STATUSES)[number]) =>
    act(async () => {
      unwrap(await api.PATCH('/api/cases/{id}', { params: { path: { id } }, body: { status } }));
    });

  const attach = () => {
    const file = fileInput.current?.files?.[0];
    if (!file) return;
    void act(async () => {
      await upload(`/api/cases/${encodeURIComponent(id)}/attachments?name=${encodeURIComponent(file.name)}`, file, file.type);
      if (fileInput.current) fileInput.current.value = '';
      return t('case.attached', { name: file.name });
    });
  };

  const byKind = (kind: (typeof ITEM_KINDS)[number]) => items.filter((i) => i.kind === kind);
  const itemLink = (kind: string, ref: string) => {
    if (kind === 'alert') return <Link to={`/alerts/${encodeURIComponent(ref)}`}>{ref}</Link>;
    if (kind === 'account' || kind === 'wallet' || kind === 'party') return <Link to={`/explore?kind=${kind}&id=${encodeURIComponent(ref)}&hops=2`}>{ref}</Link>;
    return ref;
  };

  return (
    <div>
      <p>
        <Link to="/cases">← {t('cases.back')}</Link>
      </p>
      <h1>
        {c.title} <TlpBadge tlp={c.tlp} />
      </h1>
      <p className="muted">
        <span className="mono">{c.id}</span> · {t(`caseStatus.${c.status}`)} · {t('case.createdBy', { who: c.createdBy, at: formatTime(c.created) })}
        {c.assignee ? ` · ${t('case.assignee')}: ${c.assignee}` : ''}
      </p>
      {c.summary ? <p>{c.summary}</p> : null}
      {notice ? (
        <p className="notice" role="status" data-testid="case-notice">
          {notice}
        </p>
      ) : null}
      <ErrorBox error={error} />
      <div className="row" style={{ margin: '0.75rem 0' }}>
        {mayExport ? (
          <>
            <button type="button" onClick={() => void exportReport('goaml')} disabled={busy} data-testid="export-goaml">
              {t('case.exportGoaml')}
            </button>
            <button type="button" onClick={() => void exportReport('fincen')} disabled={busy} data-testid="export-fincen">
              {t('case.exportFincen')}
            </button>
          </>
        ) : null}
        {mayWrite
          ? STATUSES.filter((s) => s !== c.status && s !== 'closed').map((s) => (
              <button key={s} type="button" className="secondary" onClick={() => void setStatus(s)} disabled={busy}>
                {t('case.markAs', { status: t(`caseStatus.${s}`) })}
              </button>
            ))
          : null}
      </div>
      <div className="detail">
        <div>
          <section className="card">
            <h2>{t('case.contents')}</h2>
            <div className="grid cols-2">
              {ITEM_KINDS.map((k) => (
                <div key={k} data-testid={`case-items-${k}`}>
                  <h3 style={{ fontSize: '0.95rem', margin: '0.4rem 0' }}>
                    {t(`itemKind.${k}`)} ({byKind(k).length})
                  </h3>
                  <ul style={{ margin: 0, paddingLeft: '1.1rem' }}>
                    {byKind(k)
                      .slice(0, 200)
                      .map((i) => (
                        <li key={i.ref} className="mono">
                          {itemLink(k, i.ref)}
                          {i.note ? <span className="muted"> — {i.note}</span> : null}
                        </li>
                      ))}
                  </ul>
                  {byKind(k).length > 200 ? <p className="muted">{t('case.more', { n: byKind(k).length - 200 })}</p> : null}
                </div>
              ))}
            </div>
            {mayWrite ? (
              <form className="row" onSubmit={addItem} style={{ marginTop: '0.75rem' }}>
                <label>
                  {t('case.itemKind')}
                  <select value={itemKind} onChange={(e) => setItemKind(e.target.value as typeof itemKind)}>
                    {ITEM_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {t(`itemKind.${k}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {t('case.itemRef')}
                  <input value={itemRef} onChange={(e) => setItemRef(e.target.value)} required />
                </label>
                <button type="submit" disabled={busy || !itemRef.trim()}>
                  {t('case.addItem')}
                </button>
              </form>
            ) : null}
          </section>
          <section className="card" style={{ marginTop: '1rem' }}>
            <h2>{t('case.notes')}</h2>
            <ErrorBox error={notes.error} />
            <ul className="timeline" data-testid="case-notes">
              {(notes.data?.items ?? []).map((n) => (
                <li key={n.id}>
                  <div className="muted">
                    {n.createdBy} · {formatTime(n.created)} <TlpBadge tlp={n.tlp} />
                  </div>
                  <div style={{ whiteSpace: 'pre-wrap' }}>{n.body}</div>
                </li>
              ))}
            </ul>
            {mayWrite ? (
              <form onSubmit={addNote} style={{ display: 'flex', flexDirection: 'column', gap: '0.5rem', marginTop: '0.5rem' }}>
                <label style={{ display: 'flex' }}>
                  {t('case.newNote')}
                  <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} required />
                </label>
                <div>
                  <button type="submit" disabled={busy || !note.trim()}>
                    {t('case.addNote')}
                  </button>
                </div>
              </form>
            ) : null}
          </section>
          <section className="card" style={{ marginTop: '1rem' }}>
            <h2>{t('case.timeline')}</h2>
            <ul className="timeline" data-testid="case-timeline">
              {(timeline.data?.items ?? []).map((e) => (
                <li key={e.id}>
                  <span className="muted">{formatTime(e.at)}</span> · <strong>{e.kind}</strong> · {e.actor}
                  {e.detail && typeof e.detail === 'object' && Object.keys(e.detail).length > 0 ? <span className="muted mono"> {JSON.stringify(e.detail).slice(0, 160)}</span> : null}
                </li>
              ))}
            </ul>
          </section>
        </div>
        <aside className="actions">
          <section className="card">
            <h2>{t('case.decisions')}</h2>
            <ul className="timeline" data-testid="case-decisions">
              {decisions.map((d) => (
                <li key={d.id}>
                  <strong>{t(`decision.${d.kind}` as 'decision.file-str')}</strong> · {d.decidedBy} · {formatTime(d.decided)}
                  <div>{d.reason}</div>
                </li>
              ))}
              {decisions.length === 0 ? <li className="muted">{t('case.noDecisions')}</li> : null}
            </ul>
            {mayDecide ? (
              <form onSubmit={decide}>
                <label>
                  {t('case.decision')}
                  <select value={decision} onChange={(e) => setDecision(e.target.value as typeof decision)}>
                    {DECISIONS.map((d) => (
                      <option key={d} value={d}>
                        {t(`decision.${d}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {t('alert.reason')}
                  <textarea rows={3} value={decisionReason} onChange={(e) => setDecisionReason(e.target.value)} minLength={10} required />
                </label>
                <button type="submit" disabled={busy || decisionReason.trim().length < 10}>
                  {t('case.decide')}
                </button>
              </form>
            ) : (
              <p className="muted">{t('case.decideSupervisor')}</p>
            )}
          </section>
          <section className="card">
            <h2>{t('case.attachments')}</h2>
            <ul className="timeline" data-testid="case-attachments">
              {attachments.map((f) => (
                <li key={f.sha256}>
                  <a href={`/api/cases/${encodeURIComponent(id)}/attachments/${f.sha256}`}>{f.name}</a> <TlpBadge tlp={f.tlp} />
                  <div className="muted mono">
                    {f.sizeBytes} B · sha256 {f.sha256.slice(0, 16)}…
                  </div>
                </li>
              ))}
              {attachments.length === 0 ? <li className="muted">{t('case.noAttachments')}</li> : null}
            </ul>
            {mayWrite ? (
              <div className="row">
                <label>
                  {t('case.attach')}
                  <input type="file" ref={fileInput} onChange={attach} disabled={busy} />
                </label>
              </div>
            ) : null}
          </section>
        </aside>
      </div>
    </div>
  );
}
