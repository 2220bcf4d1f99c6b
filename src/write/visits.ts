/**
 * Sign-in times (docs/notifications.md#new-since-your-last-visit): each
 * sign-in moves the last one to `previousVisitAt`, so the portal can mark
 * what changed since then. The user's own row, keyed by the user just
 * authenticated; one statement.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';

export async function recordVisit(em: EntityManager, userId: string, at = new Date()): Promise<void> {
  await em.execute(
    `insert into user_visit (id, user_id, last_visit_at, previous_visit_at) values (?, ?, ?, null)
     on conflict (user_id) do update set previous_visit_at = user_visit.last_visit_at, last_visit_at = excluded.last_visit_at`,
    [uuidv7(), userId, at.toISOString()],
  );
}
