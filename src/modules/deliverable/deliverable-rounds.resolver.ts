/**
 * A deliverable's review rounds: each submission and each decision, kept
 * after the deliverable moves on, so the reviewer of a resubmission reads
 * why it was rejected before. Both are visible exactly when their
 * deliverable is (policy.deliverableSubmission, policy.deliverableReview).
 */
import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../access/access';
import { can } from '../../access/policy';
import { authed, type Context } from '../../access/context';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { DateTimeScalar } from '../../core/scalars';
import { User } from '../../model/identity.entity';
import { DeliverableConnection } from './deliverable.resolver';
import { Deliverable, DeliverableReview, DeliverableStatus, DeliverableSubmission } from '../../model/deliverable.entity';

export const DeliverableSubmissionConnection = connectionOf(DeliverableSubmission, 'DeliverableSubmission');
export const DeliverableReviewConnection = connectionOf(DeliverableReview, 'DeliverableReview');

@Resolver(() => Deliverable)
export class DeliverableRoundsResolver {
  @FieldResolver(() => DeliverableSubmissionConnection, { description: 'Every submission of this deliverable, one per round, oldest (round 1) first.' })
  submissions(@Root() d: Deliverable, @Args() args: ConnectionArgs, @Ctx() ctx: Context) {
    return authed(ctx).reader.childConnection(DeliverableSubmission, 'deliverable', d, args, { sort: 'round' }, '');
  }

  @FieldResolver(() => DeliverableReviewConnection, {
    description: 'Every decision on this deliverable, one per reviewed round, oldest (round 1) first: rejections with their reason, the acceptance with its comment.',
  })
  reviews(@Root() d: Deliverable, @Args() args: ConnectionArgs, @Ctx() ctx: Context) {
    return authed(ctx).reader.childConnection(DeliverableReview, 'deliverable', d, args, { sort: 'round' }, '');
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'When the submission now waiting for review was made; null unless SUBMITTED.' })
  waitingSince(@Root() d: Deliverable): Date | null {
    return d.status === DeliverableStatus.SUBMITTED ? (d.submittedAt ?? null) : null;
  }
}

@Resolver()
export class ReviewQueueResolver {
  @Access(can.operate, 'Only the operator\'s administrators and project managers review deliverables')
  @Query(() => DeliverableConnection, {
    description: 'The review queue: the SUBMITTED deliverables of the projects the viewer manages (ADMIN: all), longest waiting first '
      + '(by waitingSince, ties by id). Each one\'s earlier rounds are in its submissions and reviews.',
  })
  reviewQueue(@Args() args: ConnectionArgs, @Ctx() ctx: Context) {
    return authed(ctx).reader.connection(Deliverable, args, { where: { status: DeliverableStatus.SUBMITTED }, sort: 'submittedAt' });
  }
}

@Resolver(() => DeliverableSubmission)
export class DeliverableSubmissionResolver {
  @FieldResolver(() => Deliverable, { description: 'The deliverable submitted.' })
  deliverable(@Root() s: DeliverableSubmission, @Ctx() ctx: Context) {
    return authed(ctx).reader.link(s, 'deliverable', Deliverable);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who submitted it (null when the viewer may not see that user, or for a round recorded before submitters were kept).' })
  submittedBy(@Root() s: DeliverableSubmission, @Ctx() ctx: Context) {
    return s.submittedBy ? authed(ctx).reader.byId(User).load(s.submittedBy.id) : null;
  }
}

@Resolver(() => DeliverableReview)
export class DeliverableReviewResolver {
  @FieldResolver(() => Deliverable, { description: 'The deliverable reviewed.' })
  deliverable(@Root() r: DeliverableReview, @Ctx() ctx: Context) {
    return authed(ctx).reader.link(r, 'deliverable', Deliverable);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who decided (null when the viewer may not see that user, or for a review recorded before reviewers were kept).' })
  reviewedBy(@Root() r: DeliverableReview, @Ctx() ctx: Context) {
    return r.reviewedBy ? authed(ctx).reader.byId(User).load(r.reviewedBy.id) : null;
  }
}
