import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { actionEnum, availableActions } from '../../write/actions';
import { Contract } from '../../model/contract.entity';
import { contractMachine, contractMay, isContractOverdue } from './contract.transitions';

export const ContractActionType = actionEnum(contractMachine, 'ContractAction', 'A move in the contract state machine, as offered by Contract.availableActions. Each is for ADMIN, or a MANAGER of the project.', {
  activate: 'activateContract: DRAFT → ACTIVE.',
  suspend: 'suspendContract: ACTIVE → SUSPENDED.',
  resume: 'resumeContract: SUSPENDED → ACTIVE.',
  complete: 'completeContract: ACTIVE → COMPLETED (final).',
  terminate: 'terminateContract: ACTIVE or SUSPENDED → TERMINATED (final), with a reason.',
  update: 'updateContract: edit the contract while it is a DRAFT.',
});

@Resolver(() => Contract)
export class ContractActionsResolver {
  @FieldResolver(() => [ContractActionType.enum], {
    description: 'What the viewer may do next on this contract: the moves its status allows that the viewer is entitled to, in the state machine\'s order. '
      + 'Checks on the input (dates still covering the deliverables, a partner counterparty) are made on submit.',
  })
  availableActions(@Root() c: Contract, @Ctx() ctx: Context): string[] {
    return ContractActionType.of(availableActions(contractMachine, contractMay, authed(ctx).viewer, c));
  }

  @FieldResolver(() => Boolean, { description: 'End date passed (before today, UTC) and the contract is neither COMPLETED nor TERMINATED.' })
  overdue(@Root() c: Contract): boolean {
    return isContractOverdue(c);
  }
}
