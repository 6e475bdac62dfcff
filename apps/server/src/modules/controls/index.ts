import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createControlsRoutes } from './controls.routes.ts';

export {
  addDays,
  addMonths,
  daysBetween,
  deriveControlStatus,
  deriveTaskState,
  todayUtc,
  type TaskState,
} from './control-status.ts';
export {
  computeReadiness,
  recordReadiness,
  type ReadinessTally,
  refreshControlStatuses,
  type StatusChange,
  type StatusScope,
} from './status-refresh.ts';
export { formatCsv, formatCsvCell } from './controls-csv.ts';
export { seedDefaultControls } from './controls.seed.ts';
export {
  recordCheckResultIn,
  type CheckScope,
  type Supplier as CheckSupplier,
} from './checks.service.ts';
export { compareControls, findEvidenceControls } from './controls.repo.ts';

/** Controls, the checks that prove them, and their status. */
export function createControlsModule(): StewardModule {
  return defineModule({ name: 'controls', routes: createControlsRoutes() });
}
