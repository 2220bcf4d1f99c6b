/**
 * The inbox on the viewer (`Viewer.notifications`, `Viewer.previousVisitAt`,
 * `Viewer.changedSinceLastVisit`)
 * and the links of a notification (its subject, re-checked against the
 * policy when read: an object the viewer can no longer see is null).
 */
import { Arg, Args, Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { authed, type Context } from '../../access/context';
import { subjectEntity } from '../../access/recipients';
import { ConnectionArgs } from '../../core/pagination';
import { toGlobalId } from '../../core/global-id';
import { DateTimeScalar } from '../../core/scalars';
import { Notification, UserVisit } from '../../model/event.entity';
import { Node } from '../../model/node';
import { Project } from '../../model/project.entity';
import { Viewer } from '../identity/identity.types';
import { NotificationConnection } from './notification.types';
import { unreadCount } from './notification.service';

/** How many of the newest notifications `changedSinceLastVisit` reads. */
const CHANGED_LIMIT = 100;

@Resolver(() => Viewer)
export class ViewerNotificationsResolver {
  @FieldResolver(() => NotificationConnection, { description: 'The viewer\'s notifications, newest first: changes to objects the viewer may see (docs/notifications.md).' })
  async notifications(
    @Root() _v: Viewer,
    @Args() args: ConnectionArgs,
    @Arg('unreadOnly', () => Boolean, { nullable: true, description: 'Only the unread ones.' }) unreadOnly: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<NotificationConnection> {
    const { reader, viewer } = authed(ctx);
    const where = (unreadOnly ? { readAt: { $eq: null } } : {}) as FilterQuery<Notification>;
    const page = await reader.connection(Notification, args, { where, sort: 'createdAt', desc: true });
    return { ...page, unreadCount: await unreadCount(ctx.em, viewer) };
  }

  @FieldResolver(() => DateTimeScalar, {
    nullable: true,
    description: 'When the viewer signed in before the current sign-in; null on the first. The portal marks what changed since then as new.',
  })
  async previousVisitAt(@Root() _v: Viewer, @Ctx() ctx: Context): Promise<Date | null> {
    return previousVisit(ctx);
  }

  @FieldResolver(() => [ID], {
    description: `Global ids of the objects that changed since previousVisitAt, as the viewer's notifications tell (newest first, each once; at most ${CHANGED_LIMIT} notifications are read). Empty on the first visit. The portal marks these items as new.`,
  })
  async changedSinceLastVisit(@Root() _v: Viewer, @Ctx() ctx: Context): Promise<string[]> {
    const since = await previousVisit(ctx);
    if (!since) return [];
    const page = await authed(ctx).reader.connection(Notification, { first: CHANGED_LIMIT } as ConnectionArgs, {
      where: { occurredAt: { $gt: since } } as FilterQuery<Notification>,
      sort: 'createdAt',
      desc: true,
    });
    return [...new Set(page.nodes.map((n) => toGlobalId(n.subjectType, n.subjectId)))];
  }
}

async function previousVisit(ctx: Context): Promise<Date | null> {
  const { reader, viewer } = authed(ctx);
  const [visit] = await reader.list(UserVisit, { where: { user: viewer.userId } as FilterQuery<UserVisit>, sort: 'id' });
  return visit?.previousVisitAt ?? null;
}

@Resolver(() => Notification)
export class NotificationResolver {
  @FieldResolver(() => ID, { description: 'Global id of the object the notification is about (node(id:) finds it while the viewer may see it).' })
  subjectId(@Root() n: Notification): string {
    return toGlobalId(n.subjectType, n.subjectId);
  }

  @FieldResolver(() => String, { description: 'GraphQL type of the object, e.g. FinancialReport.' })
  subjectType(@Root() n: Notification): string {
    return n.subjectType;
  }

  @FieldResolver(() => Node, { nullable: true, description: 'The object, when the viewer may still see it; null otherwise.' })
  subject(@Root() n: Notification, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(subjectEntity(n.subjectType)).load(n.subjectId);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Name of the object\'s project, when it has one the viewer may see.' })
  async projectName(@Root() n: Notification, @Ctx() ctx: Context): Promise<string | null> {
    if (!n.project) return null;
    const project = await authed(ctx).reader.byId(Project).load(n.project.id);
    return project?.name ?? null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the viewer marked it read.' })
  read(@Root() n: Notification): boolean {
    return !!n.readAt;
  }
}
