import { lazy, Suspense, useState, type FormEvent } from 'react';
import { Navigate, NavLink, Route, Routes, useNavigate } from 'react-router';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Loading } from './components/Status';
import { LoginPage } from './pages/Login';
import { useSession } from './session';
import { t } from './strings';

// Each screen is its own chunk: the charts and the WebGL explorer load only when opened.
const Dashboard = lazy(() => import('./pages/Dashboard'));
const AlertsPage = lazy(() => import('./pages/Alerts'));
const AlertDetail = lazy(() => import('./pages/AlertDetail'));
const CasesPage = lazy(() => import('./pages/Cases'));
const CaseView = lazy(() => import('./pages/CaseView'));
const SearchPage = lazy(() => import('./pages/Search'));
const ExplorerPage = lazy(() => import('./explorer/ExplorerPage'));

export function App() {
  const { me, loading } = useSession();
  if (loading) return <Loading />;
  if (!me) return <LoginPage />;
  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <TopBar />
      <nav className="nav" aria-label={t('nav.label')}>
        <NavLink to="/" end>
          {t('nav.dashboard')}
        </NavLink>
        <NavLink to="/alerts">{t('nav.alerts')}</NavLink>
        <NavLink to="/cases">{t('nav.cases')}</NavLink>
        <NavLink to="/explore">{t('nav.explorer')}</NavLink>
        <NavLink to="/search">{t('nav.search')}</NavLink>
      </nav>
      <main id="main" tabIndex={-1}>
        <ErrorBoundary>
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route path="/" element={<Dashboard />} />
              <Route path="/alerts" element={<AlertsPage />} />
              <Route path="/alerts/:id" element={<AlertDetail />} />
              <Route path="/cases" element={<CasesPage />} />
              <Route path="/cases/:id" element={<CaseView />} />
              <Route path="/explore" element={<ExplorerPage />} />
              <Route path="/search" element={<SearchPage />} />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}

function TopBar() {
  const { me, logout } = useSession();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  if (!me) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (q.trim().length >= 2) navigate(`/search?q=${encodeURIComponent(q.trim())}`);
  };
  return (
    <header className="topbar">
      <a className="brand" href="/">
        Rastro
      </a>
      <form role="search" onSubmit={submit}>
        <input type="search" aria-label={t('search.label')} placeholder={t('search.placeholder')} value={q} onChange={(e) => setQ(e.target.value)} data-testid="global-search" />
      </form>
      <div className="who" data-testid="tenant-context">
        <span>
          <strong>{me.tenant.name}</strong> · {me.user?.displayName ?? me.actor} · {t(`role.${me.role}` as 'role.analyst')}
        </span>
        <button type="button" onClick={() => void logout()}>
          {t('nav.logout')}
        </button>
      </div>
    </header>
  );
}
