import { Field, InputType, Int, registerEnumType } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { BadUserInputError } from '../../core/errors';
import { listSpec, oneOf } from '../../access/listing';
import { OrderDirection } from '../../core/pagination';
import { Risk, RiskCategory, RiskStatus, RiskVisibility } from '../../model/risk.entity';

export enum RiskOrderField { SCORE = 'SCORE', CREATED_AT = 'CREATED_AT', TITLE = 'TITLE' }
registerEnumType(RiskOrderField, { name: 'RiskOrderField', description: 'Fields risks can be sorted by.' });

@InputType({ description: 'Risk filter; all given conditions must hold.' })
export class RiskFilter {
  @Field(() => [RiskStatus], { nullable: true, description: 'Any of these statuses.' })
  status?: RiskStatus[] | null;

  @Field(() => Int, { nullable: true, description: 'Score (likelihood × impact) at least this, 1–25.' })
  minScore?: number | null;

  @Field(() => [RiskCategory], { nullable: true, description: 'Any of these categories.' })
  category?: RiskCategory[] | null;

  @Field(() => [RiskVisibility], { nullable: true, description: 'Any of these visibilities (among the risks you may see).' })
  visibility?: RiskVisibility[] | null;
}

@InputType({ description: 'Ordering of risks.' })
export class RiskOrder {
  @Field(() => RiskOrderField, { description: 'Field to sort by.' })
  field!: RiskOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'Direction.' })
  direction!: OrderDirection;
}

export function riskSpec(filter?: RiskFilter | null, order?: RiskOrder | null) {
  const f = filter ?? {};
  if (f.minScore != null && (f.minScore < 1 || f.minScore > 25)) {
    throw new BadUserInputError(`minScore must be between 1 and 25 (got ${f.minScore})`, 'minScore');
  }
  const where: FilterQuery<Risk>[] = [oneOf('status', f.status), oneOf('category', f.category), oneOf('visibility', f.visibility)];
  if (f.minScore != null) where.push({ score: { $gte: f.minScore } });
  return listSpec<Risk, RiskOrderField>(
    { $and: where },
    order,
    { SCORE: 'score', CREATED_AT: 'createdAt', TITLE: 'title' },
    { field: RiskOrderField.SCORE, direction: OrderDirection.DESC },
    filter,
  );
}
