import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { LoadingBlock } from '../components/loading-block.tsx';
import { AuditPage } from '../modules/audit/audit-page.tsx';
import { meQuery, setupStatusQuery } from '../modules/auth/auth-queries.ts';
import { SetupPage } from '../modules/auth/setup-page.tsx';
import { SignInPage } from '../modules/auth/sign-in-page.tsx';
import { OverviewPage } from '../modules/overview/overview-page.tsx';
import { TokensPage } from '../modules/tokens/tokens-page.tsx';
import { UsersPage } from '../modules/users/users-page.tsx';
import { AppLayout } from './app-layout.tsx';
import { NotFoundPage, RouteErrorPage } from './route-fallbacks.tsx';
import { toSafeRedirect } from './safe-redirect.ts';

interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  beforeLoad: async ({ context, location }) => {
    const { isSetUp } = await context.queryClient.query(setupStatusQuery);
    const isSetupPage = location.pathname === '/setup';
    if (!isSetUp && !isSetupPage) redirect({ to: '/setup', throw: true });
    if (isSetUp && isSetupPage) redirect({ to: '/', throw: true });
  },
  component: Outlet,
  notFoundComponent: NotFoundPage,
  errorComponent: RouteErrorPage,
});

const setupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'setup',
  component: SetupPage,
});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => {
    const target = toSafeRedirect(search.redirect);
    return target ? { redirect: target } : {};
  },
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.query(meQuery);
    if (me) redirect({ to: '/', throw: true });
  },
  component: SignInPage,
});

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const me = await context.queryClient.query(meQuery);
    if (!me) {
      const target = toSafeRedirect(location.href);
      redirect({
        to: '/sign-in',
        search: target && target !== '/' ? { redirect: target } : {},
        throw: true,
      });
    }
  },
  component: AppLayout,
});

const overviewRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  component: OverviewPage,
});

const usersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'settings/users',
  component: UsersPage,
});

const tokensRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'settings/tokens',
  component: TokensPage,
});

const auditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'audit',
  component: AuditPage,
});

const routeTree = rootRoute.addChildren([
  setupRoute,
  signInRoute,
  appRoute.addChildren([overviewRoute, usersRoute, tokensRoute, auditRoute]),
]);

/** The application's router; pages reach the query client through its context. */
export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPendingComponent: LoadingBlock,
    defaultPendingMs: 300,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
