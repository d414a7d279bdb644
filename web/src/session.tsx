/** Who is signed in, for which agency: loaded once from /api/auth/me, set by login, cleared by logout. */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, setCsrfToken, unwrap, type Me } from './api/client';

interface SessionValue {
  me: Me | undefined;
  loading: boolean;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | undefined>();
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    api
      .GET('/api/auth/me')
      .then((r) => {
        if (r.response.ok && r.data) {
          setCsrfToken(r.data.csrfToken);
          setMe(r.data);
        }
      })
      .catch(() => undefined)
      .finally(() => setLoading(false));
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const data = unwrap(await api.POST('/api/auth/login', { body: { username, password } }));
    setCsrfToken(data.csrfToken);
    setMe(data);
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.POST('/api/auth/logout');
    } finally {
      setCsrfToken(undefined);
      setMe(undefined);
    }
  }, []);

  return <SessionContext.Provider value={{ me, loading, login, logout }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in person (pages under the shell only render once there is one). */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new ApiError(401, 'unauthenticated', 'not signed in');
  return me;
}

/** Whether the role may do something; mirrors the server's PERMISSIONS (the server still decides). */
const PERMISSIONS: Record<string, readonly string[]> = {
  'transactions:read': ['analyst', 'supervisor', 'auditor', 'system'],
  'alerts:read': ['analyst', 'supervisor', 'auditor', 'system'],
  'alerts:work': ['analyst', 'supervisor'],
  'alerts:assign-others': ['supervisor'],
  'cases:read': ['analyst', 'supervisor', 'auditor'],
  'cases:write': ['analyst', 'supervisor'],
  'cases:decide': ['supervisor'],
  'reports:export': ['analyst', 'supervisor'],
  'entities:read': ['analyst', 'supervisor', 'auditor'],
};
export function can(me: Me, permission: keyof typeof PERMISSIONS | string): boolean {
  return PERMISSIONS[permission]?.includes(me.role) ?? false;
}
