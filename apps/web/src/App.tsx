import { lazy, Suspense, useEffect, useMemo } from 'react';
import { HashRouter, Navigate, Route, Routes, useLocation, useParams } from 'react-router';
import { createAcademyClient, webStorageSessionStore } from '@academy/client';
import { AcademyProvider, useSession } from '@academy/client/react';
import { I18nProvider } from './i18n';
import { tenantOf } from './tenant';
import { Layout } from './screens/Layout';
import { SignIn } from './screens/SignIn';
import { Dashboard } from './screens/Dashboard';
import { Catalogue } from './screens/Catalogue';
import { Loading } from './screens/Loading';
import { SignUp } from './learner/SignUp';
import { CoursePage } from './learner/CoursePage';
import { OrderPage } from './learner/OrderPage';
import { Classroom } from './learner/Classroom';
import { PortfolioPage } from './learner/portfolio/PortfolioPage';
import type { Persona } from '@academy/client';
import { AREA_PERSONAS } from './areas';

// Each persona's area is its own chunk: a learner never downloads the authoring screens.
const InstructorArea = lazy(() => import('./instructor/InstructorArea').then((module) => ({ default: module.InstructorArea })));
const AdminArea = lazy(() => import('./admin/AdminArea').then((module) => ({ default: module.AdminArea })));
const EvaluatorArea = lazy(() => import('./evaluator/EvaluatorArea').then((module) => ({ default: module.EvaluatorArea })));

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
              <Route path="/sign-up" element={<SignUp />} />
              <Route
                path="/courses/:slug"
                element={
                  <SignedIn>
                    <CoursePage />
                  </SignedIn>
                }
              />
              <Route
                path="/orders/:id"
                element={
                  <SignedIn>
                    <OrderPage />
                  </SignedIn>
                }
              />
              <Route
                path="/learn/:courseId"
                element={
                  <SignedIn>
                    <Classroom />
                  </SignedIn>
                }
              />
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
              <Route
                path="/teach/*"
                element={
                  <SignedIn personas={AREA_PERSONAS.teach}>
                    <InstructorArea />
                  </SignedIn>
                }
              />
              <Route
                path="/admin/*"
                element={
                  <SignedIn personas={AREA_PERSONAS.admin}>
                    <AdminArea />
                  </SignedIn>
                }
              />
              <Route
                path="/evaluate/*"
                element={
                  <SignedIn personas={AREA_PERSONAS.evaluate}>
                    <EvaluatorArea />
                  </SignedIn>
                }
              />
              <Route
                path="/portfolios/:id"
                element={
                  <SignedIn>
                    <PortfolioPage />
                  </SignedIn>
                }
              />
              {/* The paths notifications link to (Notification.link) that have no screen of their own. */}
              <Route path="/certificates/:id" element={<Navigate to="/" replace />} />
              <Route path="/impact" element={<Navigate to="/" replace />} />
              <Route path="/courses/:id/reviews" element={<CourseReviewsLink />} />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          </Layout>
        </HashRouter>
      </I18nProvider>
    </AcademyProvider>
  );
}

/** A screen for signed-in people (of these personas): the sign-in first, then back here. */
function SignedIn({ children, personas }: { children: React.ReactNode; personas?: readonly Persona[] }) {
  const { session } = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  if (personas && !personas.includes(session.user.persona)) return <Navigate to="/" replace />;
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

/** A review of an instructor's course (REVIEW_RECEIVED): to the course's analytics. */
function CourseReviewsLink() {
  const { id = '' } = useParams();
  return <Navigate to={`/teach/courses/${id}/analytics`} replace />;
}
