/**
 * The `email` channel, its job `email_send` and the digests `email_digest`
 * (README "E-mail").
 *
 * For each event and recipient (the policy decided them), the recipient's
 * mode for the type: OFF sends nothing; otherwise one `email_item` per
 * (user, event) (unique: a retried delivery adds nothing). IMMEDIATELY also
 * queues a job per item (stable job key); the digests are graphile-worker
 * cron tasks that mail each user's pending items of their period in one
 * e-mail. Whether the user still sees the subject is asked again when the
 * e-mail is written; items no longer visible are SKIPPED.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import type { Config } from '../config';
import { buildViewer, type Viewer } from '../access/viewer';
import { EmailItem, EmailItemStatus, EmailMode } from '../model/email.entity';
import { User } from '../model/identity.entity';
import { modesFor } from '../modules/notify/email.preferences';
import { sendEmail } from '../modules/notify/email.transport';
import type { Channel } from './channels';
import { describeEvent, type EventMessage } from './messages';
import type { JobTask } from './tasks';

export const EMAIL_TASK = 'email_send';
export const EMAIL_DIGEST_TASK = 'email_digest';

export const email: Channel = {
  name: 'email',
  async deliver(job, event, recipients) {
    if (!recipients.length) return;
    const modes = await modesFor(job.em, recipients.map((r) => r.userId), event.type);
    for (const r of recipients) {
      const mode = modes.get(r.userId)!;
      if (mode === EmailMode.OFF) continue;
      await job.em.execute(
        `insert into email_item (id, created_at, updated_at, version, user_id, event_id, mode, status)
         values (?, now(), now(), 1, ?, ?, ?, 'PENDING') on conflict do nothing`,
        [uuidv7(), r.userId, event.id, mode],
      );
      if (mode === EmailMode.IMMEDIATELY) {
        await job.addJob(EMAIL_TASK, { userId: r.userId, eventId: event.id }, { jobKey: `email:${r.userId}:${event.id}` });
      }
    }
  },
};

function line(m: EventMessage): string {
  return `${m.title}${m.projectName ? ` (${m.projectName})` : ''}, ${m.occurredAt.replace('T', ' ').slice(0, 16)} UTC`;
}

function footer(config: Config): string[] {
  return ['', `Open the portal: ${config.email.portalUrl}/`, `Choose which e-mails you receive: ${config.email.portalUrl}/settings/email`];
}

/** The user and their viewer now, or null when disabled. */
async function readerOf(em: EntityManager, userId: string): Promise<{ user: User; viewer: Viewer } | null> {
  const user = await em.findOne(User, { id: userId, disabledAt: null }, { populate: ['organization'] });
  return user ? { user, viewer: await buildViewer(em, user, null) } : null;
}

/** One immediate e-mail; marked SENT after the SMTP server accepted it (a crash in between sends it again). */
export const sendEventEmail: JobTask = async (payload, { orm, config, logger }) => {
  const em = orm.em.fork() as EntityManager;
  const item = await em.findOne(EmailItem, { user: String(payload.userId), event: String(payload.eventId) }, { populate: ['event', 'event.project'] as never });
  if (!item || item.status !== EmailItemStatus.PENDING) return;
  const reader = await readerOf(em, item.user.id);
  const message = reader ? await describeEvent(em, item.event, reader.viewer) : null;
  if (!reader || !message) {
    item.status = EmailItemStatus.SKIPPED;
    await em.flush();
    return;
  }
  const sent = await sendEmail(config, logger, {
    to: reader.user.email,
    subject: `[Vantage] ${message.title}`,
    text: [`Hello ${reader.user.name},`, '', line(message), ...footer(config)].join('\n'),
  });
  item.status = sent ? EmailItemStatus.SENT : EmailItemStatus.SKIPPED;
  item.sentAt = sent ? new Date() : null;
  await em.flush();
};

/**
 * One digest run (`{ mode: DAILY_DIGEST | WEEKLY_DIGEST }`): every user with
 * pending items of the mode gets one e-mail listing those still visible to
 * them, grouped by project, oldest first. Each user's items are marked in a
 * transaction that commits after their e-mail was accepted.
 */
export const sendDigests: JobTask = async (payload, { orm, config, logger }) => {
  const mode = payload.mode === EmailMode.WEEKLY_DIGEST ? EmailMode.WEEKLY_DIGEST : EmailMode.DAILY_DIGEST;
  const rows = await orm.em.fork().execute<{ user_id: string }[]>(
    `select distinct user_id from email_item where mode = ? and status = 'PENDING' order by user_id`,
    [mode],
  );
  for (const { user_id: userId } of rows) {
    await orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const items = await em.find(EmailItem, { user: userId, mode, status: EmailItemStatus.PENDING }, { populate: ['event', 'event.project'] as never, orderBy: { createdAt: 'asc', id: 'asc' } });
      const reader = await readerOf(em, userId);
      const messages: EventMessage[] = [];
      for (const item of items) {
        const message = reader ? await describeEvent(em, item.event, reader.viewer) : null;
        if (message) {
          messages.push(message);
          item.status = EmailItemStatus.SENT;
          item.sentAt = new Date();
        } else {
          item.status = EmailItemStatus.SKIPPED;
        }
      }
      if (reader && messages.length) {
        const period = mode === EmailMode.DAILY_DIGEST ? 'daily' : 'weekly';
        const sent = await sendEmail(config, logger, {
          to: reader.user.email,
          subject: `[Vantage] Your ${period} digest: ${messages.length} update${messages.length > 1 ? 's' : ''}`,
          text: [`Hello ${reader.user.name},`, '', ...groupByProject(messages), ...footer(config)].join('\n'),
        });
        if (!sent) {
          for (const item of items) {
            if (item.status === EmailItemStatus.SENT) Object.assign(item, { status: EmailItemStatus.SKIPPED, sentAt: null });
          }
        }
      }
    });
  }
};

/** Digest lines under their project's name. */
function groupByProject(messages: EventMessage[]): string[] {
  const groups = new Map<string, EventMessage[]>();
  for (const m of messages) {
    const key = m.projectName ?? 'Other';
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const out: string[] = [];
  for (const [name, list] of groups) out.push(name, ...list.map((m) => `  - ${m.title}, ${m.occurredAt.replace('T', ' ').slice(0, 16)} UTC`), '');
  return out;
}
