import { useCan } from '../../app/me-context.tsx';
import { OverviewPage } from '../overview/overview-page.tsx';
import { DashboardPage } from './dashboard-page.tsx';

/** `/`: the readiness dashboard for people who see the program, the overview for everyone else. */
export function HomePage() {
  const canReadProgram = useCan('program.read');
  return canReadProgram ? <DashboardPage /> : <OverviewPage />;
}
