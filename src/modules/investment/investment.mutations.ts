import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../access/access';
import { can } from '../../access/policy';
import { authed, type Context } from '../../access/context';
import { RecordInvestmentInput, RecordInvestmentPayload, UpdateInvestmentInput, UpdateInvestmentPayload } from './investment.mutation-inputs';
import { investmentService } from './investment.service';

/** FORBIDDEN messages of the role gates below. */
const ADMINISTER = 'Only administrators can record investments';

@Resolver()
export class InvestmentMutations {
  @Access(can.administer, ADMINISTER)
  @Mutation(() => RecordInvestmentPayload, { description: 'Records an investor\'s commitment to a project (ADMIN).' })
  recordInvestment(@Arg('input', () => RecordInvestmentInput) input: RecordInvestmentInput, @Ctx() ctx: Context) {
    return investmentService.record(ctx, authed(ctx).viewer, input);
  }

  @Access(can.administer, ADMINISTER)
  @Mutation(() => UpdateInvestmentPayload, { description: 'Corrects the amount or date of an investment (ADMIN).' })
  updateInvestment(@Arg('input', () => UpdateInvestmentInput) input: UpdateInvestmentInput, @Ctx() ctx: Context) {
    return investmentService.update(ctx, authed(ctx).viewer, input);
  }
}
