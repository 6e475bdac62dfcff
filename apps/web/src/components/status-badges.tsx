import { Badge } from '@mantine/core';
import type { BadgeProps } from '@mantine/core';
import type { ControlStatus, promiseStatuses, taskStates } from '@steward/contracts';

type TaskState = (typeof taskStates)[number];
type PromiseStatus = (typeof promiseStatuses)[number];

interface BadgeLook {
  label: string;
  color: string;
}

/** How each control status reads and looks. */
export const controlStatusLooks: Record<ControlStatus, BadgeLook> = {
  passing: { label: 'Passing', color: 'green' },
  failing: { label: 'Failing', color: 'red' },
  due: { label: 'Due', color: 'yellow' },
  not_proved: { label: 'Not proved', color: 'gray' },
};

/** How each task state reads and looks. */
export const taskStateLooks: Record<TaskState, BadgeLook> = {
  upcoming: { label: 'Upcoming', color: 'blue' },
  due: { label: 'Due', color: 'yellow' },
  overdue: { label: 'Overdue', color: 'red' },
  done: { label: 'Done', color: 'green' },
};

/** How each promise status reads and looks. */
export const promiseStatusLooks: Record<PromiseStatus, BadgeLook> = {
  kept: { label: 'Kept', color: 'green' },
  at_risk: { label: 'At risk', color: 'yellow' },
  broken: { label: 'Broken', color: 'red' },
  not_proved: { label: 'Not yet proved', color: 'gray' },
  unmapped: { label: 'Unmapped', color: 'orange' },
};

type SizeProp = Pick<BadgeProps, 'size'> & {
  /** Show this number in the badge's colour instead of the label (the label names it nearby). */
  count?: number;
};

function LookBadge({ look, size, count }: { look: BadgeLook } & SizeProp) {
  return (
    <Badge
      color={look.color}
      variant={count === undefined ? 'light' : 'filled'}
      size={size}
      tt="none"
      // A status is short: it keeps its full width rather than being cut in a narrow cell.
      style={{ flexShrink: 0, minWidth: count === undefined ? 'max-content' : 36 }}
    >
      {count ?? look.label}
    </Badge>
  );
}

/** A control's status as a coloured badge. */
export function ControlStatusBadge({ status, ...rest }: { status: ControlStatus } & SizeProp) {
  return <LookBadge look={controlStatusLooks[status]} {...rest} />;
}

/** A task's state as a coloured badge. */
export function TaskStateBadge({ state, ...rest }: { state: TaskState } & SizeProp) {
  return <LookBadge look={taskStateLooks[state]} {...rest} />;
}

/** A promise's status as a coloured badge. */
export function PromiseStatusBadge({ status, ...rest }: { status: PromiseStatus } & SizeProp) {
  return <LookBadge look={promiseStatusLooks[status]} {...rest} />;
}
