import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { actionEnum, availableActions } from '../../write/actions';
import { Deliverable } from '../../model/deliverable.entity';
import { deliverableMachine, deliverableMay, isDeliverableOverdue } from './deliverable.transitions';

export const DeliverableActionType = actionEnum(deliverableMachine, 'DeliverableAction', 'A move in the deliverable state machine, as offered by Deliverable.availableActions.', {
  start: 'startDeliverable: PLANNED → IN_PROGRESS, or a REJECTED deliverable back into progress. Partner MEMBERs of the contract, while it is ACTIVE.',
  submit: 'submitDeliverable: IN_PROGRESS or REJECTED → SUBMITTED for review. Partner MEMBERs of the contract, while it is ACTIVE.',
  accept: 'acceptDeliverable: SUBMITTED → ACCEPTED (final). ADMIN, or a MANAGER of the project.',
  reject: 'rejectDeliverable: SUBMITTED → REJECTED, with a reason. ADMIN, or a MANAGER of the project.',
  update: 'updateDeliverable: edit title, description, due date or milestone (not once ACCEPTED). ADMIN, or a MANAGER of the project.',
});

@Resolver(() => Deliverable)
export class DeliverableActionsResolver {
  @FieldResolver(() => [DeliverableActionType.enum], {
    description: 'What the viewer may do next on this deliverable: the moves its status allows that the viewer is entitled to, in the state machine\'s order. '
      + 'Start and submit are offered while the contract is ACTIVE. Checks on the input (a due date within the contract, a visible milestone) are made on submit.',
  })
  availableActions(@Root() d: Deliverable, @Ctx() ctx: Context): string[] {
    return DeliverableActionType.of(availableActions(deliverableMachine, deliverableMay, authed(ctx).viewer, d));
  }

  @FieldResolver(() => Boolean, { description: 'Due date passed (before today, UTC) and still owed: PLANNED, IN_PROGRESS or REJECTED. A SUBMITTED deliverable waits for review and is not overdue.' })
  overdue(@Root() d: Deliverable): boolean {
    return isDeliverableOverdue(d);
  }
}
