import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../access/access';
import { authed, type Context } from '../../access/context';
import {
  AssignRiskOwnerInput, AssignRiskOwnerPayload, ChangeRiskStatusInput, ChangeRiskStatusPayload, ChangeRiskVisibilityInput, ChangeRiskVisibilityPayload,
  CreateRiskInput, CreateRiskPayload, RaiseRiskInput, RaiseRiskPayload, ReassessRiskInput, ReassessRiskPayload, UpdateRiskInput, UpdateRiskPayload,
} from './risk.mutation-inputs';
import { riskService } from './risk.service';

@Resolver()
export class RiskMutations {
  @Access('operator')
  @Mutation(() => CreateRiskPayload, { description: 'Adds a risk to a project\'s register (ADMIN, or a MANAGER of the project).' })
  createRisk(@Arg('input', () => CreateRiskInput) input: CreateRiskInput, @Ctx() ctx: Context) {
    return riskService.create(ctx, authed(ctx).viewer, input);
  }

  @Access('authenticated')
  @Mutation(() => RaiseRiskPayload, { description: 'Partner MEMBER: raises a risk on one of their organization\'s contracts.' })
  raiseRisk(@Arg('input', () => RaiseRiskInput) input: RaiseRiskInput, @Ctx() ctx: Context) {
    return riskService.raise(ctx, authed(ctx).viewer, input);
  }

  @Access('operator')
  @Mutation(() => UpdateRiskPayload, { description: 'Changes a risk\'s title, description, category or mitigation plan.' })
  updateRisk(@Arg('input', () => UpdateRiskInput) input: UpdateRiskInput, @Ctx() ctx: Context) {
    return riskService.update(ctx, authed(ctx).viewer, input);
  }

  @Access('operator')
  @Mutation(() => ReassessRiskPayload, { description: 'Records a new likelihood and impact; the assessment history keeps every one.' })
  reassessRisk(@Arg('input', () => ReassessRiskInput) input: ReassessRiskInput, @Ctx() ctx: Context) {
    return riskService.reassess(ctx, authed(ctx).viewer, input);
  }

  @Access('operator')
  @Mutation(() => ChangeRiskStatusPayload, { description: 'Moves a risk to another status.' })
  changeRiskStatus(@Arg('input', () => ChangeRiskStatusInput) input: ChangeRiskStatusInput, @Ctx() ctx: Context) {
    return riskService.changeStatus(ctx, authed(ctx).viewer, input);
  }

  @Access('operator')
  @Mutation(() => ChangeRiskVisibilityPayload, { description: 'Changes who besides the operator sees a risk.' })
  changeRiskVisibility(@Arg('input', () => ChangeRiskVisibilityInput) input: ChangeRiskVisibilityInput, @Ctx() ctx: Context) {
    return riskService.changeVisibility(ctx, authed(ctx).viewer, input);
  }

  @Access('operator')
  @Mutation(() => AssignRiskOwnerPayload, { description: 'Gives a risk an owner (triage of partner-raised risks, or a handover).' })
  assignRiskOwner(@Arg('input', () => AssignRiskOwnerInput) input: AssignRiskOwnerInput, @Ctx() ctx: Context) {
    return riskService.assignOwner(ctx, authed(ctx).viewer, input);
  }
}
