import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { actionEnum, availableActions } from '../../write/actions';
import { Risk } from '../../model/risk.entity';
import { riskMachine, riskMay } from './risk.transitions';

export const RiskActionType = actionEnum(riskMachine, 'RiskAction', 'A move in the risk state machine, as offered by Risk.availableActions. Each is for ADMIN, or a MANAGER of the project.', {
  mitigate: 'changeRiskStatus to MITIGATING: OPEN → MITIGATING.',
  close: 'changeRiskStatus to CLOSED: MITIGATING → CLOSED (final).',
  realize: 'changeRiskStatus to REALIZED: OPEN or MITIGATING → REALIZED (final).',
  reassess: 'reassessRisk: record a new likelihood and impact.',
  update: 'updateRisk: edit title, description, category or mitigation plan.',
  assignOwner: 'assignRiskOwner: give the risk an owner.',
});

@Resolver(() => Risk)
export class RiskActionsResolver {
  @FieldResolver(() => [RiskActionType.enum], {
    description: 'What the viewer may do next on this risk: the moves its status allows that the viewer is entitled to, in the state machine\'s order. '
      + 'changeRiskVisibility is not a move of the state machine and is not listed. Checks on the input (an owner who can manage the project) are made on submit.',
  })
  availableActions(@Root() r: Risk, @Ctx() ctx: Context): string[] {
    return RiskActionType.of(availableActions(riskMachine, riskMay, authed(ctx).viewer, r));
  }
}
