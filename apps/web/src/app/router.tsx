import type { MfaMethod } from '@steward/contracts';
import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { LoadingBlock } from '../components/loading-block.tsx';
import { SecurityPage } from '../modules/account/security-page.tsx';
import { AuditPage } from '../modules/audit/audit-page.tsx';
import { meQuery, setupStatusQuery } from '../modules/auth/auth-queries.ts';
import { AcceptInvitePage } from '../modules/auth/accept-invite-page.tsx';
import { ForgotPasswordPage } from '../modules/auth/forgot-password-page.tsx';
import { ResetPasswordPage } from '../modules/auth/reset-password-page.tsx';
import { SetupPage } from '../modules/auth/setup-page.tsx';
import { SignInPage } from '../modules/auth/sign-in-page.tsx';
import { MfaChallengePage } from '../modules/mfa/mfa-challenge-page.tsx';
import { toMfaMethods } from '../modules/mfa/mfa-methods.ts';
import { MfaSetupPage } from '../modules/mfa/mfa-setup-page.tsx';
import { OrgSecurityPage } from '../modules/org-security/org-security-page.tsx';
import { OverviewPage } from '../modules/overview/overview-page.tsx';
import { ControlDetailPage } from '../modules/controls/control-detail-page.tsx';
import { parseControlFilters } from '../modules/controls/control-filters.ts';
import { ControlsPage } from '../modules/controls/controls-page.tsx';
import { HomePage } from '../modules/dashboard/home-page.tsx';
import { EvidenceDetailPage } from '../modules/evidence/evidence-detail-page.tsx';
import { parseEvidenceSearch } from '../modules/evidence/evidence-filters.ts';
import { EvidencePage } from '../modules/evidence/evidence-page.tsx';
import { FrameworkDetailPage } from '../modules/frameworks/framework-detail-page.tsx';
import { FrameworksPage } from '../modules/frameworks/frameworks-page.tsx';
import { ProgramSettingsPage } from '../modules/program-settings/program-settings-page.tsx';
import { AnnexDetailPage } from '../modules/promises/annex-detail-page.tsx';
import { PromisesPage } from '../modules/promises/promises-page.tsx';
import { MyTasksPage } from '../modules/policies/my-tasks-page.tsx';
import { TrainingModulePage } from '../modules/training/training-module-page.tsx';
import { TrainingPage } from '../modules/training/training-page.tsx';
import { PoliciesPage } from '../modules/policies/policies-page.tsx';
import { PeoplePage } from '../modules/people/people-page.tsx';
import { PeopleImportPage } from '../modules/people/people-import-page.tsx';
import { PersonDetailPage } from '../modules/people/person-detail-page.tsx';
import { ScimTokensPage } from '../modules/people/scim-tokens-page.tsx';
import { LifecyclePage } from '../modules/lifecycle/lifecycle-page.tsx';
import { ChecklistDetailPage } from '../modules/lifecycle/checklist-detail-page.tsx';
import { LifecycleTemplatesPage } from '../modules/lifecycle/lifecycle-templates-page.tsx';
import { PolicyDetailPage } from '../modules/policies/policy-detail-page.tsx';
import { ManagementReviewDetailPage } from '../modules/management-reviews/management-review-detail-page.tsx';
import { ManagementReviewsPage } from '../modules/management-reviews/management-reviews-page.tsx';
import { ScreeningPage } from '../modules/screening/screening-page.tsx';
import { RegisterReviewsPage } from '../modules/risks/register-reviews-page.tsx';
import { RiskDetailPage } from '../modules/risks/risk-detail-page.tsx';
import { parseRiskSearch } from '../modules/risks/risk-filters.ts';
import { RisksPage } from '../modules/risks/risks-page.tsx';
import { AccessReviewDetailPage } from '../modules/access-reviews/access-review-detail-page.tsx';
import { AccessReviewsPage } from '../modules/access-reviews/access-reviews-page.tsx';
import { AccessProfilesPage } from '../modules/systems/access-profiles-page.tsx';
import { AccountDetailPage } from '../modules/systems/account-detail-page.tsx';
import { SystemDetailPage } from '../modules/systems/system-detail-page.tsx';
import { SystemsPage } from '../modules/systems/systems-page.tsx';
import { CustomerDetailPage } from '../modules/support-access/customer-detail-page.tsx';
import { CustomersPage } from '../modules/support-access/customers-page.tsx';
import { RequestDetailPage } from '../modules/support-access/request-detail-page.tsx';
import { SupportAccessPage } from '../modules/support-access/support-access-page.tsx';
import { SupportAccessSettingsPage } from '../modules/support-access/support-access-settings-page.tsx';
import { parseTasksSearch } from '../modules/tasks/tasks-search.ts';
import { TasksPage } from '../modules/tasks/tasks-page.tsx';
import { TokensPage } from '../modules/tokens/tokens-page.tsx';
import { UsersPage } from '../modules/users/users-page.tsx';
import { AssetDetailPage } from '../modules/vulnerabilities/asset-detail-page.tsx';
import { AssetsPage } from '../modules/vulnerabilities/assets-page.tsx';
import { FindingDetailPage } from '../modules/vulnerabilities/finding-detail-page.tsx';
import { parseFindingSearch } from '../modules/vulnerabilities/finding-filters.ts';
import { FindingsPage } from '../modules/vulnerabilities/findings-page.tsx';
import { RiskAcceptancesPage } from '../modules/vulnerabilities/risk-acceptances-page.tsx';
import { ScanImportPage } from '../modules/vulnerabilities/scan-import-page.tsx';
import { PentestDetailPage } from '../modules/vulnerabilities/pentest-detail-page.tsx';
import { PentestsPage } from '../modules/vulnerabilities/pentests-page.tsx';
import { SlaPolicyPage } from '../modules/vulnerabilities/sla-policy-page.tsx';
import { VulnerabilitiesPage } from '../modules/vulnerabilities/vulnerabilities-page.tsx';
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

const mfaChallengeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'sign-in/mfa',
  validateSearch: (
    search: Record<string, unknown>,
  ): { redirect?: string; methods?: MfaMethod[] } => {
    const target = toSafeRedirect(search.redirect);
    const methods = toMfaMethods(search.methods);
    return { ...(target ? { redirect: target } : {}), ...(methods ? { methods } : {}) };
  },
  component: MfaChallengePage,
});

const mfaSetupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'mfa-setup',
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.query(meQuery);
    if (!me) redirect({ to: '/sign-in', throw: true });
  },
  component: MfaSetupPage,
});

function tokenSearch(search: Record<string, unknown>): { token?: string } {
  return typeof search.token === 'string' && search.token ? { token: search.token } : {};
}

const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'forgot-password',
  component: ForgotPasswordPage,
});

const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'reset-password',
  validateSearch: tokenSearch,
  component: ResetPasswordPage,
});

const acceptInviteRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'accept-invite',
  validateSearch: tokenSearch,
  component: AcceptInvitePage,
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
    // The org's policy needs a second factor for this role: enrolment comes before anything else.
    if (me?.mfaEnrolmentRequired) redirect({ to: '/mfa-setup', throw: true });
  },
  component: AppLayout,
});

const homeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  component: HomePage,
});

const overviewRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'overview',
  component: OverviewPage,
});

const controlsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'controls',
  validateSearch: parseControlFilters,
  component: function ControlsRoutePage() {
    return <ControlsPage filters={controlsRoute.useSearch()} />;
  },
});

const controlRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'controls/$controlId',
  component: function ControlRoutePage() {
    return <ControlDetailPage controlId={controlRoute.useParams().controlId} />;
  },
});

const frameworksRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'frameworks',
  component: FrameworksPage,
});

const frameworkRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'frameworks/$frameworkId',
  component: function FrameworkRoutePage() {
    return <FrameworkDetailPage frameworkId={frameworkRoute.useParams().frameworkId} />;
  },
});

const promisesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'promises',
  component: PromisesPage,
});

const annexRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'promises/$annexId',
  validateSearch: (search: Record<string, unknown>): { promise?: string } =>
    typeof search.promise === 'string' && search.promise ? { promise: search.promise } : {},
  component: function AnnexRoutePage() {
    return (
      <AnnexDetailPage
        annexId={annexRoute.useParams().annexId}
        focusPromiseId={annexRoute.useSearch().promise}
      />
    );
  },
});

const evidenceRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'evidence',
  validateSearch: parseEvidenceSearch,
  component: function EvidenceRoutePage() {
    return <EvidencePage search={evidenceRoute.useSearch()} />;
  },
});

const evidenceItemRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'evidence/$evidenceId',
  component: function EvidenceItemRoutePage() {
    return <EvidenceDetailPage evidenceId={evidenceItemRoute.useParams().evidenceId} />;
  },
});

const tasksRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'tasks',
  validateSearch: parseTasksSearch,
  component: function TasksRoutePage() {
    return <TasksPage search={tasksRoute.useSearch()} />;
  },
});

const vulnerabilitiesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'vulnerabilities',
  component: VulnerabilitiesPage,
});

const findingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'findings',
  validateSearch: parseFindingSearch,
  component: function FindingsRoutePage() {
    return <FindingsPage search={findingsRoute.useSearch()} />;
  },
});

const findingRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'findings/$findingId',
  component: function FindingRoutePage() {
    return <FindingDetailPage findingId={findingRoute.useParams().findingId} />;
  },
});

const assetsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'assets',
  component: AssetsPage,
});

const assetRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'assets/$assetId',
  component: function AssetRoutePage() {
    return <AssetDetailPage assetId={assetRoute.useParams().assetId} />;
  },
});

const riskAcceptancesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'risk-acceptances',
  component: RiskAcceptancesPage,
});

const pentestsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'pentests',
  component: PentestsPage,
});

const pentestRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'pentests/$pentestId',
  component: function PentestRoutePage() {
    return <PentestDetailPage pentestId={pentestRoute.useParams().pentestId} />;
  },
});

const scanImportRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'scans/import',
  component: ScanImportPage,
});

const slaPolicyRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'settings/sla-policy',
  component: SlaPolicyPage,
});

const programSettingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'settings/program',
  component: ProgramSettingsPage,
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

const securityRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'settings/security',
  component: SecurityPage,
});

const orgSecurityRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'settings/org-security',
  component: OrgSecurityPage,
});

const auditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'audit',
  component: AuditPage,
});

const policiesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'policies',
  component: PoliciesPage,
});

const policyRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'policies/$policyId',
  component: function PolicyRoutePage() {
    return <PolicyDetailPage policyId={policyRoute.useParams().policyId} />;
  },
});

const risksRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'risks',
  validateSearch: parseRiskSearch,
  component: function RisksRoutePage() {
    return <RisksPage search={risksRoute.useSearch()} />;
  },
});

const riskRegisterReviewsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'risks/register-reviews',
  component: RegisterReviewsPage,
});

const riskRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'risks/$riskId',
  component: function RiskRoutePage() {
    return <RiskDetailPage riskId={riskRoute.useParams().riskId} />;
  },
});

const accessReviewsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'access-reviews',
  component: AccessReviewsPage,
});

const accessReviewRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'access-reviews/$campaignId',
  component: function AccessReviewRoutePage() {
    return <AccessReviewDetailPage campaignId={accessReviewRoute.useParams().campaignId} />;
  },
});

const systemsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'systems',
  component: SystemsPage,
});

const systemRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'systems/$systemId',
  component: function SystemRoutePage() {
    return <SystemDetailPage systemId={systemRoute.useParams().systemId} />;
  },
});

const accessProfilesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'access-profiles',
  component: AccessProfilesPage,
});

const accountRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'accounts/$accountId',
  component: function AccountRoutePage() {
    return <AccountDetailPage accountId={accountRoute.useParams().accountId} />;
  },
});

const myTasksRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'my-tasks',
  component: MyTasksPage,
});

const trainingRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'training',
  component: TrainingPage,
});

const trainingModuleRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'training/$moduleId',
  component: function TrainingModuleRoutePage() {
    return <TrainingModulePage moduleId={trainingModuleRoute.useParams().moduleId} />;
  },
});

const managementReviewsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'management-reviews',
  component: ManagementReviewsPage,
});

const managementReviewRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'management-reviews/$reviewId',
  component: function ManagementReviewRoutePage() {
    return <ManagementReviewDetailPage reviewId={managementReviewRoute.useParams().reviewId} />;
  },
});

const screeningRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'screening',
  validateSearch: (search: Record<string, unknown>): { audit?: string } =>
    typeof search.audit === 'string' && search.audit ? { audit: search.audit } : {},
  component: function ScreeningRoutePage() {
    return <ScreeningPage auditId={screeningRoute.useSearch().audit} />;
  },
});

const peopleRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'people',
  component: PeoplePage,
});

const peopleImportRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'people/import',
  component: PeopleImportPage,
});

const scimTokensRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'people/scim-tokens',
  component: ScimTokensPage,
});

const personRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'people/$personId',
  component: function PersonRoutePage() {
    return <PersonDetailPage personId={personRoute.useParams().personId} />;
  },
});

const lifecycleRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'lifecycle',
  component: LifecyclePage,
});

const lifecycleTemplatesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'lifecycle/templates',
  component: LifecycleTemplatesPage,
});

const checklistRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'lifecycle/$checklistId',
  component: function ChecklistRoutePage() {
    return <ChecklistDetailPage checklistId={checklistRoute.useParams().checklistId} />;
  },
});

const supportAccessRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'support-access',
  component: SupportAccessPage,
});

const supportAccessRequestRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'support-access/requests/$requestId',
  component: function SupportAccessRequestRoutePage() {
    return <RequestDetailPage requestId={supportAccessRequestRoute.useParams().requestId} />;
  },
});

const supportAccessSettingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'settings/support-access',
  component: SupportAccessSettingsPage,
});

const customersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'customers',
  component: CustomersPage,
});

const customerRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'customers/$customerId',
  component: function CustomerRoutePage() {
    return <CustomerDetailPage customerId={customerRoute.useParams().customerId} />;
  },
});

const routeTree = rootRoute.addChildren([
  setupRoute,
  signInRoute,
  mfaChallengeRoute,
  mfaSetupRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  acceptInviteRoute,
  appRoute.addChildren([
    accessReviewsRoute,
    accessReviewRoute,
    peopleRoute,
    peopleImportRoute,
    scimTokensRoute,
    personRoute,
    lifecycleRoute,
    lifecycleTemplatesRoute,
    checklistRoute,
    managementReviewsRoute,
    managementReviewRoute,
    screeningRoute,
    homeRoute,
    overviewRoute,
    controlsRoute,
    controlRoute,
    frameworksRoute,
    frameworkRoute,
    promisesRoute,
    annexRoute,
    evidenceRoute,
    evidenceItemRoute,
    tasksRoute,
    vulnerabilitiesRoute,
    findingsRoute,
    findingRoute,
    assetsRoute,
    assetRoute,
    riskAcceptancesRoute,
    scanImportRoute,
    pentestsRoute,
    pentestRoute,
    programSettingsRoute,
    slaPolicyRoute,
    usersRoute,
    tokensRoute,
    securityRoute,
    orgSecurityRoute,
    auditRoute,
    policiesRoute,
    policyRoute,
    risksRoute,
    riskRegisterReviewsRoute,
    riskRoute,
    systemsRoute,
    systemRoute,
    accountRoute,
    accessProfilesRoute,
    supportAccessRoute,
    supportAccessRequestRoute,
    supportAccessSettingsRoute,
    customersRoute,
    customerRoute,
    myTasksRoute,
    trainingRoute,
    trainingModuleRoute,
  ]),
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
