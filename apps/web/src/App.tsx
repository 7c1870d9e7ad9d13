import { useEffect, useMemo } from 'react';
import { HashRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { createAcademyClient, webStorageSessionStore } from '@academy/client';
import { AcademyProvider, useSession } from '@academy/client/react';
import { I18nProvider } from './i18n';
import { tenantOf } from './tenant';
import { Layout } from './screens/Layout';
import { SignIn } from './screens/SignIn';
import { Dashboard } from './screens/Dashboard';
import { Catalogue } from './screens/Catalogue';

const DEFAULT_TENANT = import.meta.env.VITE_DEFAULT_TENANT ?? 'demo';

/**
 * The app: one client for the page's tenant (its API on the same origin), the session kept in
 * localStorage per tenant and refreshed by the SDK. Routes live in the hash (`#/catalogue`), so
 * the same build works at `/` and at `/t/<slug>/` without the server knowing the routes.
 */
export function App() {
  const tenant = useMemo(() => tenantOf(window.location, DEFAULT_TENANT), []);
  const client = useMemo(
    () =>
      createAcademyClient({
        url: tenant.graphqlUrl,
        wsUrl: tenant.wsUrl,
        ...(tenant.source === 'default' ? { tenant: tenant.slug } : {}),
        session: webStorageSessionStore(window.localStorage, `academy.session.${tenant.slug}`),
      }),
    [tenant],
  );
  useEffect(() => () => client.dispose(), [client]);
  return (
    <AcademyProvider client={client}>
      <I18nProvider>
        <HashRouter>
          <Layout>
            <Routes>
              <Route path="/sign-in" element={<SignIn />} />
              <Route
                path="/"
                element={
                  <SignedIn>
                    <Dashboard />
                  </SignedIn>
                }
              />
              <Route
                path="/catalogue"
                element={
                  <SignedIn>
                    <Catalogue />
                  </SignedIn>
                }
              />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          </Layout>
        </HashRouter>
      </I18nProvider>
    </AcademyProvider>
  );
}

/** A screen for signed-in people: the sign-in first, then back here. */
function SignedIn({ children }: { children: React.ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return <>{children}</>;
}
