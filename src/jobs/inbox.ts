/**
 * The in-app inbox channel: one `notification` row per recipient (unique per
 * user and event, so a retried delivery adds none twice), then a NOTIFY on
 * `vantage_notification` `{"id","userId"}` per row actually added.
 */
import { NOTIFICATION_CHANNEL } from '../core/channels';
import type { Channel } from './channels';
import { describeEvent, type EventMessage } from './messages';
import { v7 as uuidv7 } from 'uuid';

const INSERT_SQL = `
  with added as (
    insert into notification (id, user_id, event_id, type, subject_type, subject_id, project_id, title, occurred_at, created_at)
    select x.id, x.user_id, x.event_id, x.type, x.subject_type, x.subject_id, x.project_id, x.title, x.occurred_at, now()
    from jsonb_to_recordset(?::jsonb) as x(id uuid, user_id uuid, event_id uuid, type text, subject_type text, subject_id uuid, project_id uuid, title text, occurred_at timestamptz)
    on conflict (user_id, event_id) do nothing
    returning id, user_id
  )
  select count(pg_notify('${NOTIFICATION_CHANNEL}', json_build_object('id', added.id, 'userId', added.user_id)::text))::int as added from added`;

export const inbox: Channel = {
  name: 'inbox',
  async deliver(job, event, recipients) {
    if (!recipients.length) return;
    // Recipients with equal viewers read the same message: describe once per distinct viewer scope.
    const messages = new Map<string, EventMessage | null>();
    const rows = [];
    for (const r of recipients) {
      const key = `${r.viewer.side}|${r.viewer.orgId}|${r.viewer.role}`;
      let message = messages.get(key);
      if (message === undefined) {
        message = await describeEvent(job.em, event, r.viewer);
        messages.set(key, message);
      }
      if (!message) continue;
      rows.push({
        id: uuidv7(), user_id: r.userId, event_id: event.id, type: event.type, subject_type: event.subjectType, subject_id: event.subjectId,
        project_id: event.project?.id ?? null, title: message.title.slice(0, 400), occurred_at: event.occurredAt.toISOString(),
      });
    }
    if (rows.length) await job.em.execute(INSERT_SQL, [JSON.stringify(rows)]);
  },
};
