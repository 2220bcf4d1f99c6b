import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../access/access';
import { authed, type Context } from '../../access/context';
import {
  AcceptDeliverableInput, AcceptDeliverablePayload, CreateDeliverableInput, CreateDeliverablePayload, RejectDeliverableInput, RejectDeliverablePayload,
  StartDeliverableInput, StartDeliverablePayload, SubmitDeliverableInput, SubmitDeliverablePayload, UpdateDeliverableInput, UpdateDeliverablePayload,
} from './deliverable.mutation-inputs';
import { deliverableService } from './deliverable.service';

@Resolver()
export class DeliverableMutations {
  @Access('operator')
  @Mutation(() => CreateDeliverablePayload, { description: 'Adds a deliverable to a contract (ADMIN, or a MANAGER of the project).' })
  createDeliverable(@Arg('input', () => CreateDeliverableInput) input: CreateDeliverableInput, @Ctx() ctx: Context) {
    return deliverableService.create(ctx, authed(ctx).viewer, input);
  }

  @Access('operator')
  @Mutation(() => UpdateDeliverablePayload, { description: 'Changes a deliverable\'s title, description, due date or milestone (not once ACCEPTED).' })
  updateDeliverable(@Arg('input', () => UpdateDeliverableInput) input: UpdateDeliverableInput, @Ctx() ctx: Context) {
    return deliverableService.update(ctx, authed(ctx).viewer, input);
  }

  @Access('authenticated')
  @Mutation(() => StartDeliverablePayload, { description: 'Partner MEMBER: starts work on a deliverable of their own ACTIVE contract (PLANNED or REJECTED → IN_PROGRESS).' })
  startDeliverable(@Arg('input', () => StartDeliverableInput) input: StartDeliverableInput, @Ctx() ctx: Context) {
    return deliverableService.start(ctx, authed(ctx).viewer, input);
  }

  @Access('authenticated')
  @Mutation(() => SubmitDeliverablePayload, { description: 'Partner MEMBER: submits a deliverable of their own ACTIVE contract for review (IN_PROGRESS or REJECTED → SUBMITTED).' })
  submitDeliverable(@Arg('input', () => SubmitDeliverableInput) input: SubmitDeliverableInput, @Ctx() ctx: Context) {
    return deliverableService.submit(ctx, authed(ctx).viewer, input);
  }

  @Access('operator')
  @Mutation(() => AcceptDeliverablePayload, { description: 'Accepts a SUBMITTED deliverable (final).' })
  acceptDeliverable(@Arg('input', () => AcceptDeliverableInput) input: AcceptDeliverableInput, @Ctx() ctx: Context) {
    return deliverableService.accept(ctx, authed(ctx).viewer, input);
  }

  @Access('operator')
  @Mutation(() => RejectDeliverablePayload, { description: 'Rejects a SUBMITTED deliverable with a reason; the partner can rework and resubmit it.' })
  rejectDeliverable(@Arg('input', () => RejectDeliverableInput) input: RejectDeliverableInput, @Ctx() ctx: Context) {
    return deliverableService.reject(ctx, authed(ctx).viewer, input);
  }
}
