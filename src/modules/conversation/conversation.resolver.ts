import { Arg, Args, Ctx, FieldResolver, Resolver, Root, type ClassType } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { Node } from '../../model/node';
import { Deliverable } from '../../model/deliverable.entity';
import { FinancialReport } from '../../model/financial-report.entity';
import { Organization, User } from '../../model/identity.entity';
import { Milestone } from '../../model/milestone.entity';
import { Project } from '../../model/project.entity';
import { Risk } from '../../model/risk.entity';
import { ProjectUpdate } from '../../model/update.entity';
import { QaMessage, QaThread } from '../../model/thread.entity';
import { ReportAcknowledgement } from '../../model/acknowledgement.entity';
import { acknowledgementSpec, messageSpec, ThreadFilter, threadSpec } from './conversation.inputs';
import { SUBJECTS } from './conversation.service';

export const QaThreadConnection = connectionOf(QaThread, 'QaThread');
export const QaMessageConnection = connectionOf(QaMessage, 'QaMessage');
export const ReportAcknowledgementConnection = connectionOf(ReportAcknowledgement, 'ReportAcknowledgement');

@Resolver(() => QaThread)
export class QaThreadResolver {
  @FieldResolver(() => Project, { description: 'The project of the thread\'s object.' })
  project(@Root() t: QaThread, @Ctx() ctx: Context) {
    return authed(ctx).reader.link(t, 'project', Project);
  }

  @FieldResolver(() => Node, { nullable: true, description: 'The object the thread is about (a FinancialReport, Risk, Deliverable, Milestone or ProjectUpdate).' })
  subject(@Root() t: QaThread, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(SUBJECTS[t.subjectType].entity).load(t.subjectId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who asked (null when the viewer may not see that user).' })
  askedBy(@Root() t: QaThread, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(User).load(t.askedBy.id);
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The asking organization (null when the viewer may not see it).' })
  askerOrganization(@Root() t: QaThread, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(Organization).load(t.askerOrganization.id);
  }

  @FieldResolver(() => QaMessageConnection, { description: 'The question, answers and follow-ups, oldest first.' })
  messages(@Root() t: QaThread, @Args() args: ConnectionArgs, @Ctx() ctx: Context) {
    const { spec, key } = messageSpec();
    return authed(ctx).reader.childConnection(QaMessage, 'thread', t, args, spec, key);
  }
}

@Resolver(() => QaMessage)
export class QaMessageResolver {
  @FieldResolver(() => QaThread, { description: 'The thread.' })
  thread(@Root() m: QaMessage, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(QaThread).load(m.thread.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who wrote it (null when the viewer may not see that user).' })
  author(@Root() m: QaMessage, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(User).load(m.author.id);
  }

  @FieldResolver(() => [User], { description: 'The operator staff mentioned in the message, among the users the viewer may see.' })
  async mentions(@Root() m: QaMessage, @Ctx() ctx: Context) {
    const users = await authed(ctx).reader.byId(User).loadMany(m.mentionIds ?? []);
    return users.filter((u): u is User => !!u && !(u instanceof Error));
  }
}

@Resolver(() => ReportAcknowledgement)
export class ReportAcknowledgementResolver {
  @FieldResolver(() => FinancialReport, { nullable: true, description: 'The report revision.' })
  report(@Root() a: ReportAcknowledgement, @Ctx() ctx: Context) {
    return authed(ctx).reader.link(a, 'report', FinancialReport);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The investor user.' })
  user(@Root() a: ReportAcknowledgement, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(User).load(a.user.id);
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The investor user\'s organization.' })
  organization(@Root() a: ReportAcknowledgement, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(Organization).load(a.organization.id);
  }
}

/** `threads` on an object type: this module adds it, so the object's module does not change. */
function threadsOn<T extends { id: string }>(parent: ClassType<T>, key: 'report' | 'risk' | 'deliverable' | 'milestone' | 'update', noun: string) {
  @Resolver(() => parent)
  class ThreadsResolver {
    @FieldResolver(() => QaThreadConnection, { description: `Q&A threads about this ${noun} that the viewer may see, most recently active first.` })
    threads(
      @Root() root: T,
      @Args() args: ConnectionArgs,
      @Arg('filter', () => ThreadFilter, { nullable: true }) filter: ThreadFilter | null,
      @Ctx() ctx: Context,
    ) {
      const { spec, key: cacheKey } = threadSpec(filter);
      return authed(ctx).reader.childConnection(QaThread, key, root, args, spec, cacheKey);
    }
  }
  Object.defineProperty(ThreadsResolver, 'name', { value: `${parent.name}ThreadsResolver` });
  return ThreadsResolver;
}

@Resolver(() => FinancialReport)
export class FinancialReportAcknowledgementsResolver {
  @FieldResolver(() => ReportAcknowledgementConnection, {
    description: 'Who opened and acknowledged this revision: every investor user for the operator staff, your own organization\'s users for an investor.',
  })
  acknowledgements(@Root() r: FinancialReport, @Args() args: ConnectionArgs, @Ctx() ctx: Context) {
    const { spec, key } = acknowledgementSpec();
    return authed(ctx).reader.childConnection(ReportAcknowledgement, 'report', r, args, spec, key);
  }
}

export const conversationResolvers = [
  QaThreadResolver,
  QaMessageResolver,
  ReportAcknowledgementResolver,
  FinancialReportAcknowledgementsResolver,
  threadsOn(FinancialReport, 'report', 'report revision'),
  threadsOn(Risk, 'risk', 'risk'),
  threadsOn(Deliverable, 'deliverable', 'deliverable'),
  threadsOn(Milestone, 'milestone', 'milestone'),
  threadsOn(ProjectUpdate, 'update', 'project update'),
];
