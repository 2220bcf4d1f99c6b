/**
 * E-mail preferences: the default of each event type (README "E-mail"), and
 * a user's effective choice. Things that ask for a decision or change what an
 * investor holds come at once; progress news in the daily digest; a report
 * superseded is already told by its restatement.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { EmailMode, EmailPreference } from '../../model/email.entity';
import { EVENT_TYPES } from './event-types';
import { scoped } from '../../access/policy';
import type { Viewer } from '../../access/viewer';

export const DEFAULT_EMAIL_MODES: Readonly<Record<string, EmailMode>> = {
  'deliverable.submitted': EmailMode.IMMEDIATELY,
  'deliverable.accepted': EmailMode.IMMEDIATELY,
  'deliverable.rejected': EmailMode.IMMEDIATELY,
  'report.published': EmailMode.IMMEDIATELY,
  'report.restated': EmailMode.IMMEDIATELY,
  'report.superseded': EmailMode.OFF,
  'risk.raised': EmailMode.IMMEDIATELY,
  'risk.reassessed': EmailMode.DAILY_DIGEST,
  'risk.shared': EmailMode.IMMEDIATELY,
  'milestone.completed': EmailMode.DAILY_DIGEST,
  'milestone.slipped': EmailMode.DAILY_DIGEST,
  'contract.statusChanged': EmailMode.DAILY_DIGEST,
  'update.posted': EmailMode.DAILY_DIGEST,
  'investment.recorded': EmailMode.DAILY_DIGEST,
};

export function defaultModeOf(eventType: string): EmailMode {
  return DEFAULT_EMAIL_MODES[eventType] ?? EmailMode.DAILY_DIGEST;
}

/** Each event type with the user's mode and whether it is the default. */
export async function preferencesOf(em: EntityManager, viewer: Viewer): Promise<{ eventType: string; mode: EmailMode; isDefault: boolean }[]> {
  const rows = await em.find(EmailPreference, scoped(EmailPreference, viewer, { user: viewer.userId }));
  const chosen = new Map(rows.map((r) => [r.eventType, r.mode]));
  return EVENT_TYPES.map((eventType) => {
    const mode = chosen.get(eventType);
    return { eventType, mode: mode ?? defaultModeOf(eventType), isDefault: mode === undefined };
  });
}

/** The modes of the given users for one event type, defaults filled in. */
export async function modesFor(em: EntityManager, userIds: string[], eventType: string): Promise<Map<string, EmailMode>> {
  const rows = userIds.length ? await em.find(EmailPreference, { user: { $in: userIds }, eventType }) : [];
  const chosen = new Map(rows.map((r) => [r.user.id, r.mode]));
  return new Map(userIds.map((id) => [id, chosen.get(id) ?? defaultModeOf(eventType)]));
}
