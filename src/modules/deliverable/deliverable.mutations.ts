import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../access/access';
import { can } from '../../access/policy';
import { authed, type Context } from '../../access/context';
import {
  AcceptDeliverableInput, AcceptDeliverablePayload, CreateDeliverableInput, CreateDeliverablePayload, RejectDeliverableInput, RejectDeliverablePayload,
  StartDeliverableInput, StartDeliverablePayload, SubmitDeliverableInput, SubmitDeliverablePayload, UpdateDeliverableInput, UpdateDeliverablePayload,
} from './deliverable.mutation-inputs';
import { deliverableService } from './deliverable.service';

/** FORBIDDEN messages of the role gates below. */
const OPERATE = 'Only the operator\'s administrators and project managers can do this';
const PARTNER = 'Only members of the partner organization holding the contract can start or submit its deliverables';

@Resolver()
export class DeliverableMutations {
  @Access(can.operate, OPERATE)
  @Mutation(() => CreateDeliverablePayload, { description: 'Adds a deliverable to a contract (ADMIN, or a MANAGER of the project).' })
  createDeliverable(@Arg('input', () => CreateDeliverableInput) input: CreateDeliverableInput, @Ctx() ctx: Context) {
    return deliverableService.create(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => UpdateDeliverablePayload, { description: 'Changes a deliverable\'s title, description, due date or milestone (not once ACCEPTED).' })
  updateDeliverable(@Arg('input', () => UpdateDeliverableInput) input: UpdateDeliverableInput, @Ctx() ctx: Context) {
    return deliverableService.update(ctx, authed(ctx).viewer, input);
  }

  @Access(can.actAsPartnerMember, PARTNER)
  @Mutation(() => StartDeliverablePayload, { description: 'Partner MEMBER: starts work on a deliverable of their own ACTIVE contract (PLANNED or REJECTED → IN_PROGRESS).' })
  startDeliverable(@Arg('input', () => StartDeliverableInput) input: StartDeliverableInput, @Ctx() ctx: Context) {
    return deliverableService.start(ctx, authed(ctx).viewer, input);
  }

  @Access(can.actAsPartnerMember, PARTNER)
  @Mutation(() => SubmitDeliverablePayload, { description: 'Partner MEMBER: submits a deliverable of their own ACTIVE contract for review (IN_PROGRESS or REJECTED → SUBMITTED).' })
  submitDeliverable(@Arg('input', () => SubmitDeliverableInput) input: SubmitDeliverableInput, @Ctx() ctx: Context) {
    return deliverableService.submit(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => AcceptDeliverablePayload, { description: 'Accepts a SUBMITTED deliverable (final).' })
  acceptDeliverable(@Arg('input', () => AcceptDeliverableInput) input: AcceptDeliverableInput, @Ctx() ctx: Context) {
    return deliverableService.accept(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => RejectDeliverablePayload, { description: 'Rejects a SUBMITTED deliverable with a reason; the partner can rework and resubmit it.' })
  rejectDeliverable(@Arg('input', () => RejectDeliverableInput) input: RejectDeliverableInput, @Ctx() ctx: Context) {
    return deliverableService.reject(ctx, authed(ctx).viewer, input);
  }
}
