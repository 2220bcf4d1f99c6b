import { Field, InputType, registerEnumType } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { listSpec, oneOf } from '../../access/listing';
import { OrderDirection } from '../../core/pagination';
import { LocalDateScalar } from '../../core/scalars';
import { FinancialReport, ReportStatus } from '../../model/financial-report.entity';

export enum ReportOrderField { PERIOD_START = 'PERIOD_START', PUBLISHED_AT = 'PUBLISHED_AT', CREATED_AT = 'CREATED_AT' }
registerEnumType(ReportOrderField, { name: 'ReportOrderField', description: 'Fields financial reports can be sorted by.' });

@InputType({ description: 'Financial report filter; all given conditions must hold.' })
export class ReportFilter {
  @Field(() => [ReportStatus], { nullable: true, description: 'Any of these statuses (among those you may see).' })
  status?: ReportStatus[] | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Periods starting on or after this date.' })
  periodFrom?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Periods ending on or before this date.' })
  periodTo?: string | null;
}

@InputType({ description: 'Ordering of financial reports.' })
export class ReportOrder {
  @Field(() => ReportOrderField, { description: 'Field to sort by.' })
  field!: ReportOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'Direction.' })
  direction!: OrderDirection;
}

export function reportSpec(filter?: ReportFilter | null, order?: ReportOrder | null) {
  const f = filter ?? {};
  const where: FilterQuery<FinancialReport>[] = [oneOf('status', f.status)];
  if (f.periodFrom) where.push({ periodStart: { $gte: f.periodFrom } });
  if (f.periodTo) where.push({ periodEnd: { $lte: f.periodTo } });
  return listSpec<FinancialReport, ReportOrderField>(
    { $and: where },
    order,
    { PERIOD_START: 'periodStart', PUBLISHED_AT: 'publishedAt', CREATED_AT: 'createdAt' },
    { field: ReportOrderField.PERIOD_START, direction: OrderDirection.ASC },
    filter,
  );
}
