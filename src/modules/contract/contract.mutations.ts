import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../access/access';
import { can } from '../../access/policy';
import { authed, type Context } from '../../access/context';
import {
  ActivateContractInput, ActivateContractPayload, CompleteContractInput, CompleteContractPayload, CreateContractInput, CreateContractPayload,
  ResumeContractInput, ResumeContractPayload, SuspendContractInput, SuspendContractPayload, TerminateContractInput, TerminateContractPayload,
  UpdateContractInput, UpdateContractPayload,
} from './contract.mutation-inputs';
import { contractService } from './contract.service';

/** FORBIDDEN messages of the role gates below. */
const OPERATE = 'Only the operator\'s administrators and project managers can change contracts';

@Resolver()
export class ContractMutations {
  @Access(can.operate, OPERATE)
  @Mutation(() => CreateContractPayload, { description: 'Creates a DRAFT contract with a partner (ADMIN, or a MANAGER of the project).' })
  createContract(@Arg('input', () => CreateContractInput) input: CreateContractInput, @Ctx() ctx: Context) {
    return contractService.create(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => UpdateContractPayload, { description: 'Changes a contract while it is a DRAFT.' })
  updateContract(@Arg('input', () => UpdateContractInput) input: UpdateContractInput, @Ctx() ctx: Context) {
    return contractService.update(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => ActivateContractPayload, { description: 'DRAFT → ACTIVE.' })
  activateContract(@Arg('input', () => ActivateContractInput) input: ActivateContractInput, @Ctx() ctx: Context) {
    return contractService.act(ctx, authed(ctx).viewer, 'activate', input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => SuspendContractPayload, { description: 'ACTIVE → SUSPENDED.' })
  suspendContract(@Arg('input', () => SuspendContractInput) input: SuspendContractInput, @Ctx() ctx: Context) {
    return contractService.act(ctx, authed(ctx).viewer, 'suspend', input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => ResumeContractPayload, { description: 'SUSPENDED → ACTIVE.' })
  resumeContract(@Arg('input', () => ResumeContractInput) input: ResumeContractInput, @Ctx() ctx: Context) {
    return contractService.act(ctx, authed(ctx).viewer, 'resume', input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => CompleteContractPayload, { description: 'ACTIVE → COMPLETED (final).' })
  completeContract(@Arg('input', () => CompleteContractInput) input: CompleteContractInput, @Ctx() ctx: Context) {
    return contractService.act(ctx, authed(ctx).viewer, 'complete', input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => TerminateContractPayload, { description: 'ACTIVE or SUSPENDED → TERMINATED (final), with a reason.' })
  terminateContract(@Arg('input', () => TerminateContractInput) input: TerminateContractInput, @Ctx() ctx: Context) {
    return contractService.terminate(ctx, authed(ctx).viewer, input);
  }
}
