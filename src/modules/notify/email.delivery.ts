/**
 * The `email` channel, its job and the digests (README "E-mail").
 *
 * For each event and recipient (the policy decided them), the recipient's
 * mode for the type: OFF sends nothing; otherwise one `email_item` per
 * (user, event) (unique: a retried event adds nothing). IMMEDIATELY also
 * queues a job per item (stable job key); the digests are graphile-worker
 * cron tasks that mail each user's pending items of their period in one
 * e-mail. Whether the user still sees the subject is checked again when the
 * e-mail is written; items no longer visible are SKIPPED.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../../config';
import { buildViewer, type Viewer } from '../../access/viewer';
import type { DomainEvent } from '../../model/event.entity';
import { EmailItem, EmailItemStatus, EmailMode } from '../../model/email.entity';
import { User } from '../../model/identity.entity';
import { messageFor, type Message } from './content';
import { modesFor } from './email.preferences';
import { sendEmail } from './email.transport';
import type { NotifyJob, RecipientLike } from './webhook.delivery';

export const EMAIL_TASK = 'email_send';
export const EMAIL_DIGEST_TASK = 'email_digest';

export interface EmailJobPayload { userId: string; eventId: string }
export interface DigestJobPayload { mode: EmailMode.DAILY_DIGEST | EmailMode.WEEKLY_DIGEST }

export async function deliverByEmail(job: NotifyJob, event: DomainEvent, recipients: RecipientLike[]): Promise<void> {
  const modes = await modesFor(job.em, recipients.map((r) => r.userId), event.type);
  for (const r of recipients) {
    const mode = modes.get(r.userId)!;
    if (mode === EmailMode.OFF) continue;
    await job.em.getConnection().execute(
      `insert into email_item (id, created_at, updated_at, version, user_id, event_id, mode, status)
       values (?, now(), now(), 1, ?, ?, ?, 'PENDING') on conflict do nothing`,
      [new EmailItem().id, r.userId, event.id, mode],
    );
    if (mode === EmailMode.IMMEDIATELY) {
      await job.addJob(EMAIL_TASK, { userId: r.userId, eventId: event.id } satisfies EmailJobPayload, { jobKey: `email:${r.userId}:${event.id}` });
    }
  }
}

function line(m: Message): string {
  return `${m.label}: ${m.subject.title}${m.project ? ` (${m.project.name})` : ''} — ${m.occurredAt.replace('T', ' ').slice(0, 16)} UTC`;
}

/** The user and their viewer now, or null when disabled. */
async function readerOf(em: EntityManager, userId: string): Promise<{ user: User; viewer: Viewer } | null> {
  const user = await em.findOne(User, { id: userId, disabledAt: null }, { populate: ['organization'] });
  return user ? { user, viewer: await buildViewer(em, user, null) } : null;
}

export async function runEmailSend(config: Config, job: NotifyJob, payload: EmailJobPayload): Promise<void> {
  const em = job.em;
  const item = await em.findOne(EmailItem, { user: payload.userId, event: payload.eventId }, { populate: ['event'] });
  if (!item || item.status !== EmailItemStatus.PENDING) return;
  const reader = await readerOf(em, payload.userId);
  const message = reader ? await messageFor(em, item.event, reader.viewer) : null;
  if (!reader || !message) {
    item.status = EmailItemStatus.SKIPPED;
    await em.flush();
    return;
  }
  await sendEmail(config, job.logger, {
    to: reader.user.email,
    subject: `[Vantage] ${message.label}: ${message.subject.title}`,
    text: [
      `Hello ${reader.user.name},`,
      '',
      line(message),
      '',
      `Open the portal: ${config.email.portalUrl}/`,
      `Change which e-mails you receive: ${config.email.portalUrl}/settings/email`,
    ].join('\n'),
  });
  item.status = EmailItemStatus.SENT;
  item.sentAt = new Date();
  await em.flush();
}

/**
 * One digest run: every user with pending items of the mode gets one e-mail
 * listing those still visible to them, oldest first. A user's items are
 * marked in the same transaction as their e-mail is sent, so a crash between
 * two users sends each user's digest once (at least once for the one it was
 * writing).
 */
export async function runEmailDigest(config: Config, job: NotifyJob, payload: DigestJobPayload): Promise<void> {
  const mode = payload.mode;
  const rows = await job.em.getConnection().execute<{ user_id: string }[]>(
    `select distinct user_id from email_item where mode = ? and status = 'PENDING'`,
    [mode],
  );
  for (const { user_id: userId } of rows) {
    const em = job.em.fork();
    await em.transactional(async (tx) => {
      const items = await tx.find(EmailItem, { user: userId, mode, status: EmailItemStatus.PENDING }, { populate: ['event'], orderBy: { createdAt: 'asc' } });
      const reader = await readerOf(tx as EntityManager, userId);
      const messages: Message[] = [];
      for (const item of items) {
        const message = reader ? await messageFor(tx as EntityManager, item.event, reader.viewer) : null;
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
        await sendEmail(config, job.logger, {
          to: reader.user.email,
          subject: `[Vantage] Your ${period} digest: ${messages.length} update${messages.length > 1 ? 's' : ''}`,
          text: [
            `Hello ${reader.user.name},`,
            '',
            ...groupByProject(messages),
            `Open the portal: ${config.email.portalUrl}/`,
            `Change which e-mails you receive: ${config.email.portalUrl}/settings/email`,
          ].join('\n'),
        });
      }
    });
  }
}

/** Digest lines grouped under their project's name. */
function groupByProject(messages: Message[]): string[] {
  const groups = new Map<string, Message[]>();
  for (const m of messages) {
    const key = m.project?.name ?? 'General';
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const out: string[] = [];
  for (const [name, list] of groups) {
    out.push(name, ...list.map((m) => `  - ${line(m)}`), '');
  }
  return out;
}
