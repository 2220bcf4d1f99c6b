/**
 * Subscriptions (docs/subscriptions.md). Each field checks at subscribe time
 * that its object is visible (an invisible id is the same NOT_FOUND as a
 * random one), then follows the messages of its project; every message is
 * read again through the subscriber's reader at that moment and sends
 * nothing when its subject is not visible to them (src/access/live.ts).
 */
import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { Access } from '../../access/access';
import { authed, type Context } from '../../access/context';
import { liveFeed, visibleSubject, type LiveEvent, type LiveNotification } from '../../access/live';
import { NotFoundError } from '../../core/errors';
import { decodeId } from '../../core/global-id';
import { Contract } from '../../model/contract.entity';
import { Deliverable } from '../../model/deliverable.entity';
import { Notification } from '../../model/event.entity';
import { Project } from '../../model/project.entity';

interface SubscribeData { args: Record<string, any>; context: Context }

async function projectChangedFeed({ args, context }: SubscribeData) {
  const { reader } = authed(context);
  const projectId = decodeId(args.id, 'Project');
  if (!(await reader.byId(Project).load(projectId))) throw new NotFoundError('project');
  return liveFeed(context, { kind: 'project', projectId }, async (ctx, event: LiveEvent) => {
    // The project is sent only for a change its subscriber may see: an internal risk's says nothing to an investor.
    if (!(await visibleSubject(ctx, event))) return null;
    return authed(ctx).reader.byId(Project).load(projectId);
  });
}

async function deliverableChangedFeed({ args, context }: SubscribeData) {
  const { reader } = authed(context);
  const contractId = decodeId(args.contractId, 'Contract', 'contractId');
  const contract = await reader.byId(Contract).load(contractId);
  if (!contract) throw new NotFoundError('contract');
  return liveFeed(context, { kind: 'project', projectId: contract.project.id }, async (ctx, event: LiveEvent) => {
    if (event.subjectType !== 'Deliverable') return null;
    const deliverable = await authed(ctx).reader.byId(Deliverable).load(event.subjectId);
    return deliverable && deliverable.contract.id === contractId ? deliverable : null;
  });
}

function notificationAddedFeed({ context }: SubscribeData) {
  const { viewer } = authed(context);
  return liveFeed(context, { kind: 'user', userId: viewer.userId }, async (ctx, message: LiveNotification) => {
    // The policy keeps a notification to its recipient; its subject must still be visible to them now.
    const notification = await authed(ctx).reader.byId(Notification).load(message.id);
    if (!notification) return null;
    const subject = await visibleSubject(ctx, { id: notification.id, type: notification.type, subjectType: notification.subjectType, subjectId: notification.subjectId, projectId: null });
    return subject ? notification : null;
  });
}

@Resolver()
export class LiveResolver {
  @Access('authenticated')
  @Subscription(() => Notification, {
    subscribe: notificationAddedFeed,
    description: 'Each notification delivered to the viewer\'s inbox, as it arrives (while its subject is still visible to the viewer).',
  })
  notificationAdded(@Root() notification: Notification): Notification {
    return notification;
  }

  @Access('authenticated')
  @Subscription(() => Project, {
    subscribe: projectChangedFeed,
    description: 'The project, each time something of it that the viewer may see changes (a report, a risk, a milestone, a deliverable, an update…), read as the viewer sees it then. NOT_FOUND when the project is not visible.',
  })
  projectChanged(@Root() project: Project, @Arg('id', () => ID, { description: 'The project\'s global id.' }) _id: string): Project {
    return project;
  }

  @Access('authenticated')
  @Subscription(() => Deliverable, {
    subscribe: deliverableChangedFeed,
    description: 'Each deliverable of the contract when it changes (submitted, accepted, rejected…), read as the viewer sees it then. NOT_FOUND when the contract is not visible.',
  })
  deliverableChanged(@Root() deliverable: Deliverable, @Arg('contractId', () => ID, { description: 'The contract\'s global id.' }) _contractId: string): Deliverable {
    return deliverable;
  }
}
