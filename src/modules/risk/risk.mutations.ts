import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../access/access';
import { can } from '../../access/policy';
import { authed, type Context } from '../../access/context';
import {
  AssignRiskOwnerInput, AssignRiskOwnerPayload, ChangeRiskStatusInput, ChangeRiskStatusPayload, ChangeRiskVisibilityInput, ChangeRiskVisibilityPayload,
  CreateRiskInput, CreateRiskPayload, RaiseRiskInput, RaiseRiskPayload, ReassessRiskInput, ReassessRiskPayload, UpdateRiskInput, UpdateRiskPayload,
} from './risk.mutation-inputs';
import { riskService } from './risk.service';

/** FORBIDDEN messages of the role gates below. */
const OPERATE = 'Only the operator\'s administrators and project managers can change the risk register';
const PARTNER = 'Only members of a partner organization can raise risks on their contracts';

@Resolver()
export class RiskMutations {
  @Access(can.operate, OPERATE)
  @Mutation(() => CreateRiskPayload, { description: 'Adds a risk to a project\'s register (ADMIN, or a MANAGER of the project).' })
  createRisk(@Arg('input', () => CreateRiskInput) input: CreateRiskInput, @Ctx() ctx: Context) {
    return riskService.create(ctx, authed(ctx).viewer, input);
  }

  @Access(can.actAsPartnerMember, PARTNER)
  @Mutation(() => RaiseRiskPayload, { description: 'Partner MEMBER: raises a risk on one of their organization\'s contracts.' })
  raiseRisk(@Arg('input', () => RaiseRiskInput) input: RaiseRiskInput, @Ctx() ctx: Context) {
    return riskService.raise(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => UpdateRiskPayload, { description: 'Changes a risk\'s title, description, category or mitigation plan.' })
  updateRisk(@Arg('input', () => UpdateRiskInput) input: UpdateRiskInput, @Ctx() ctx: Context) {
    return riskService.update(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => ReassessRiskPayload, { description: 'Records a new likelihood and impact; the assessment history keeps every one.' })
  reassessRisk(@Arg('input', () => ReassessRiskInput) input: ReassessRiskInput, @Ctx() ctx: Context) {
    return riskService.reassess(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => ChangeRiskStatusPayload, { description: 'Moves a risk to another status.' })
  changeRiskStatus(@Arg('input', () => ChangeRiskStatusInput) input: ChangeRiskStatusInput, @Ctx() ctx: Context) {
    return riskService.changeStatus(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => ChangeRiskVisibilityPayload, { description: 'Changes who besides the operator sees a risk.' })
  changeRiskVisibility(@Arg('input', () => ChangeRiskVisibilityInput) input: ChangeRiskVisibilityInput, @Ctx() ctx: Context) {
    return riskService.changeVisibility(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => AssignRiskOwnerPayload, { description: 'Gives a risk an owner (triage of partner-raised risks, or a handover).' })
  assignRiskOwner(@Arg('input', () => AssignRiskOwnerInput) input: AssignRiskOwnerInput, @Ctx() ctx: Context) {
    return riskService.assignOwner(ctx, authed(ctx).viewer, input);
  }
}
