import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../access/access';
import { authed, type Context } from '../../access/context';
import { RecordInvestmentInput, RecordInvestmentPayload, UpdateInvestmentInput, UpdateInvestmentPayload } from './investment.mutation-inputs';
import { investmentService } from './investment.service';

@Resolver()
export class InvestmentMutations {
  @Access('admin')
  @Mutation(() => RecordInvestmentPayload, { description: 'Records an investor\'s commitment to a project (ADMIN).' })
  recordInvestment(@Arg('input', () => RecordInvestmentInput) input: RecordInvestmentInput, @Ctx() ctx: Context) {
    return investmentService.record(ctx, authed(ctx).viewer, input);
  }

  @Access('admin')
  @Mutation(() => UpdateInvestmentPayload, { description: 'Corrects the amount or date of an investment (ADMIN).' })
  updateInvestment(@Arg('input', () => UpdateInvestmentInput) input: UpdateInvestmentInput, @Ctx() ctx: Context) {
    return investmentService.update(ctx, authed(ctx).viewer, input);
  }
}
