import { todayUtc } from './dates';

/**
 * Overdue as a display mark: due date passed (UTC) and the partner still owes
 * the work (not submitted for review, not accepted).
 */
export function isDeliverableOverdue(d: { dueDate: string; status: string }, today = todayUtc()): boolean {
  return d.dueDate < today && (d.status === 'PLANNED' || d.status === 'IN_PROGRESS' || d.status === 'REJECTED');
}

export const DELIVERABLE_STATUSES = ['PLANNED', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED', 'ACCEPTED'] as const;
