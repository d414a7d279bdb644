/** The dashboard: alerts over time by typology, amounts flagged, top accounts and corridors, cases by status. Every chart opens the filtered list. */
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import { Chart, type ChartOption } from '../components/Chart';
import { ErrorBox, Loading, useLoad } from '../components/Status';
import { formatNumber, formatUsd, t } from '../strings';

const DAY_MS = 86_400_000;

export default function Dashboard() {
  const navigate = useNavigate();
  const { data, error } = useLoad(async () => unwrap(await api.GET('/api/dashboard', { params: { query: { scope: 'own' } } })), []);

  const days = useMemo(() => [...new Set((data?.alertsByDay ?? []).map((d) => d.day))].sort(), [data]);
  const typologies = useMemo(() => [...new Set((data?.alertsByDay ?? []).map((d) => d.typology))].sort(), [data]);

  const overTime: ChartOption = useMemo(() => {
    const index = new Map(days.map((d, i) => [d, i]));
    const series = typologies.map((ty) => {
      const counts = new Array<number>(days.length).fill(0);
      for (const d of data?.alertsByDay ?? []) if (d.typology === ty) counts[index.get(d.day)!] = d.count;
      return { name: ty, type: 'bar', stack: 'alerts', data: counts, emphasis: { focus: 'series' } };
    });
    return {
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', minInterval: 1 },
      series,
    };
  }, [data, days, typologies]);

  const amounts: ChartOption = useMemo(() => {
    const rows = [...(data?.byTypology ?? [])].sort((a, b) => a.amountUsd - b.amountUsd);
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatUsd(v) },
      grid: { left: 150, right: 24, top: 8, bottom: 28 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: rows.map((r) => r.typology) },
      series: [{ name: t('dash.amountFlagged'), type: 'bar', data: rows.map((r) => Math.round(r.amountUsd)), itemStyle: { color: '#0b5394' } }],
    };
  }, [data]);

  const accounts: ChartOption = useMemo(() => {
    const rows = [...(data?.topAccounts ?? [])].reverse();
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 190, right: 24, top: 8, bottom: 28 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map((r) => r.account), axisLabel: { width: 170, overflow: 'truncate' } },
      series: [{ name: t('dash.alerts'), type: 'bar', data: rows.map((r) => r.alerts), itemStyle: { color: '#8e3b00' } }],
    };
  }, [data]);

  const corridors: ChartOption = useMemo(() => {
    const rows = [...(data?.topCorridors ?? [])].reverse();
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatUsd(v) },
      grid: { left: 90, right: 24, top: 8, bottom: 28 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: rows.map((r) => `${r.fromCountry} → ${r.toCountry}`) },
      series: [{ name: t('dash.amount'), type: 'bar', data: rows.map((r) => Math.round(r.amountUsd)), itemStyle: { color: '#1b6b2f' } }],
    };
  }, [data]);

  const cases: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [{ name: t('dash.cases'), type: 'pie', radius: ['40%', '70%'], data: (data?.casesByStatus ?? []).map((c) => ({ name: c.status, value: c.count })) }],
    }),
    [data],
  );

  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  const totals = data.totals;
  return (
    <div>
      <h1>{t('dash.title')}</h1>
      <div className="grid cols-4" data-testid="dashboard-kpis">
        <Kpi label={t('dash.alerts')} value={formatNumber(totals.alerts)} to="/alerts" />
        <Kpi label={t('dash.openAlerts')} value={formatNumber(totals.open)} to="/alerts?status=new" />
        <Kpi label={t('dash.amountFlagged')} value={formatUsd(totals.amountUsd)} to="/alerts?sort=amount" />
        <Kpi label={t('dash.cases')} value={formatNumber(totals.cases)} to="/cases" />
      </div>
      <div className="grid cols-2" style={{ marginTop: '1rem' }}>
        <section className="card">
          <h2>{t('dash.overTime')}</h2>
          <Chart
            label={t('dash.overTime')}
            testId="chart-over-time"
            option={overTime}
            onClick={(c) => {
              const from = new Date(`${c.name}T00:00:00Z`);
              const to = new Date(from.getTime() + DAY_MS);
              navigate(`/alerts?typology=${encodeURIComponent(c.seriesName ?? '')}&from=${from.toISOString()}&to=${to.toISOString()}`);
            }}
          />
        </section>
        <section className="card">
          <h2>{t('dash.amountByTypology')}</h2>
          <Chart label={t('dash.amountByTypology')} testId="chart-amounts" option={amounts} onClick={(c) => navigate(`/alerts?typology=${encodeURIComponent(c.name)}&sort=amount`)} />
        </section>
        <section className="card">
          <h2>{t('dash.topAccounts')}</h2>
          <Chart label={t('dash.topAccounts')} testId="chart-accounts" option={accounts} onClick={(c) => navigate(`/alerts?account=${encodeURIComponent(c.name)}`)} />
        </section>
        <section className="card">
          <h2>{t('dash.topCorridors')}</h2>
          {data.topCorridors.length === 0 ? (
            <p className="muted">{t('dash.noCorridors')}</p>
          ) : (
            <Chart
              label={t('dash.topCorridors')}
              testId="chart-corridors"
              option={corridors}
              onClick={(c) => {
                const [fromCountry, toCountry] = c.name.split(' → ');
                navigate(`/alerts?corridor=${encodeURIComponent(`${fromCountry}-${toCountry}`)}`);
              }}
            />
          )}
        </section>
        <section className="card">
          <h2>{t('dash.casesByStatus')}</h2>
          <Chart label={t('dash.casesByStatus')} testId="chart-cases" option={cases} onClick={(c) => navigate(`/cases?status=${encodeURIComponent(c.name)}`)} />
        </section>
        <section className="card">
          <h2>{t('dash.byTypology')}</h2>
          <table>
            <thead>
              <tr>
                <th>{t('alert.typology')}</th>
                <th className="num">{t('dash.alerts')}</th>
                <th className="num">{t('dash.openAlerts')}</th>
                <th className="num">{t('dash.amountFlagged')}</th>
              </tr>
            </thead>
            <tbody>
              {data.byTypology.map((r) => (
                <tr key={r.typology}>
                  <td>
                    <Link to={`/alerts?typology=${encodeURIComponent(r.typology)}`}>{r.typology}</Link>
                  </td>
                  <td className="num">{formatNumber(r.count)}</td>
                  <td className="num">{formatNumber(r.open)}</td>
                  <td className="num">{formatUsd(r.amountUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </div>
  );
}

function Kpi({ label, value, to }: { label: string; value: string; to: string }) {
  return (
    <Link to={to} className="card kpi" style={{ textDecoration: 'none', color: 'inherit' }}>
      <div className="value">{value}</div>
      <div className="label">{label}</div>
    </Link>
  );
}
