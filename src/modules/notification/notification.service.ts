/**
 * The viewer's inbox: reading it and marking it read (docs/notifications.md).
 * Notifications are the viewer's own (policy.notification); another user's
 * notification id is NOT_FOUND like a random one. Marking read is the
 * recipient's own state, not a change of the portal's objects: it writes no
 * audit event (and so raises no domain event).
 */
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { authed, type Context } from '../../access/context';
import { scoped } from '../../access/policy';
import type { Viewer } from '../../access/viewer';
import { decodeId } from '../../core/global-id';
import { NotFoundError } from '../../core/errors';
import { UserErrorCode } from '../../core/user-error';
import { Notification } from '../../model/event.entity';
import { fail } from '../../write/checks';
import { mutate } from '../../write/transaction';
import type { MarkAllNotificationsReadInput, MarkNotificationsReadInput } from './notification.types';

const UNREAD = { readAt: { $eq: null } } as FilterQuery<Notification>;

export function unreadCount(em: EntityManager, viewer: Viewer): Promise<number> {
  return em.count(Notification, scoped(Notification, viewer, UNREAD));
}

export const notificationService = {
  async markRead(ctx: Context, input: MarkNotificationsReadInput) {
    const { viewer } = authed(ctx);
    if (!Array.isArray(input.ids) || input.ids.length === 0 || input.ids.length > 100) {
      return { notifications: null, unreadCount: null, userErrors: [{ field: ['ids'], code: UserErrorCode.VALIDATION, message: `ids: give 1 to 100 notification ids (got ${input.ids?.length ?? 0})` }] };
    }
    const ids = [...new Set(input.ids.map((id, i) => decodeId(id, 'Notification', `input.ids[${i}]`)))];
    const result = await mutate(ctx, async (tx) => {
      const rows = await tx.find(Notification, { id: { $in: ids } } as FilterQuery<Notification>);
      if (rows.length !== ids.length) throw new NotFoundError('Notification');
      const now = new Date();
      for (const row of rows) if (!row.readAt) row.readAt = now;
      if (!rows.length) fail(UserErrorCode.VALIDATION, 'ids: nothing to mark', 'ids');
      return rows;
    });
    if (!result.object) return { notifications: null, unreadCount: null, userErrors: result.userErrors };
    const order = new Map(ids.map((id, i) => [id, i]));
    const notifications = result.object.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    return { notifications, unreadCount: await unreadCount(ctx.em, viewer), userErrors: [] };
  },

  async markAllRead(ctx: Context, input: MarkAllNotificationsReadInput) {
    const { viewer } = authed(ctx);
    const before = input.deliveredBefore ?? new Date();
    const result = await mutate(ctx, async (tx) => tx.em.nativeUpdate(
      Notification,
      scoped(Notification, viewer, { readAt: { $eq: null }, createdAt: { $lte: before } } as FilterQuery<Notification>),
      { readAt: new Date() },
    ));
    if (result.object === null) return { marked: null, unreadCount: null, userErrors: result.userErrors };
    return { marked: result.object, unreadCount: await unreadCount(ctx.em, viewer), userErrors: [] };
  },
};
