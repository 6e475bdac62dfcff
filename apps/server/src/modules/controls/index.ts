import { defineModule, type StewardModule } from '../../platform/module.ts';

export {
  addDays,
  addMonths,
  daysBetween,
  deriveControlStatus,
  deriveTaskState,
  todayUtc,
  type ProofInput,
  type TaskState,
} from './control-status.ts';
export {
  recordReadiness,
  refreshControlStatuses,
  type StatusChange,
  type StatusScope,
} from './status-refresh.ts';

/** Controls, the checks that prove them, and their status. */
export function createControlsModule(): StewardModule {
  return defineModule({ name: 'controls', routes: [] });
}
