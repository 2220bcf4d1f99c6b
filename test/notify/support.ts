/**
 * Helpers of the notification tests: wait for the job queue to deliver, read
 * the outbox and the inbox of each demo user.
 */
import type { TestApp } from '../support/app';
import { USERS, type DemoUser } from '../support/app';

export const DEMO: DemoUser[] = Object.keys(USERS) as DemoUser[];

async function sql<T = any>(app: TestApp, query: string, params: unknown[] = []): Promise<T[]> {
  return app.orm.em.fork().getConnection().execute(query, params as any[]) as Promise<T[]>;
}

/**
 * Waits until every `deliver_event` job of the given events has run (graphile-worker deletes a job
 * when it succeeds); fails at once with its error when one failed.
 */
export async function delivered(app: TestApp, eventIds: string[], timeoutMs = 20_000): Promise<void> {
  const keys = eventIds.map((id) => `deliver_event:${id}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await sql<{ key: string; last_error: string | null }>(app, 'select key, last_error from graphile_worker.jobs where key in (?)', [keys]);
    const failed = pending.find((p) => p.last_error);
    if (failed) throw new Error(`${failed.key} failed: ${failed.last_error}`);
    if (!pending.length) return;
    if (Date.now() > deadline) throw new Error(`not delivered within ${timeoutMs} ms: ${pending.map((p) => p.key).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface EventRow { id: string; type: string; subject_type: string; subject_id: string; project_id: string | null; audit_event_id: string; data: any }

/** Events written since `since` (an event id, exclusive; uuid v7 ids grow with time), oldest first. */
export async function eventsAfter(app: TestApp, since: string | null): Promise<EventRow[]> {
  return sql<EventRow>(app, 'select * from domain_event where (?::uuid is null or id > ?::uuid) order by id', [since, since]);
}

export async function lastEventId(app: TestApp): Promise<string | null> {
  const [row] = await sql<{ id: string }>(app, 'select max(id::text) as id from domain_event');
  return row?.id ?? null;
}

/** For each demo user, the notification types they got for `eventId`. */
export async function inboxOf(app: TestApp, eventId: string): Promise<Record<DemoUser, string[]>> {
  const rows = await sql<{ email: string; type: string }>(app, 'select u.email, n.type from notification n join app_user u on u.id = n.user_id where n.event_id = ? order by u.email', [eventId]);
  const out = {} as Record<DemoUser, string[]>;
  for (const who of DEMO) out[who] = rows.filter((r) => r.email === USERS[who]).map((r) => r.type);
  return out;
}

export { sql };
