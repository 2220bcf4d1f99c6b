import { Field, InputType, registerEnumType } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { listSpec, oneOf } from '../../access/listing';
import { OrderDirection } from '../../core/pagination';
import { LocalDateScalar } from '../../core/scalars';
import { Deliverable, DeliverableStatus } from '../../model/deliverable.entity';

export enum DeliverableOrderField { DUE_DATE = 'DUE_DATE', CREATED_AT = 'CREATED_AT', TITLE = 'TITLE', SUBMITTED_AT = 'SUBMITTED_AT' }
registerEnumType(DeliverableOrderField, {
  name: 'DeliverableOrderField',
  description: 'Fields deliverables can be sorted by.',
  valuesConfig: {
    SUBMITTED_AT: { description: 'When last submitted (never submitted: last ascending, first descending). Over SUBMITTED deliverables, ascending is longest waiting first: a review queue.' },
  },
});

@InputType({ description: 'Deliverable filter; all given conditions must hold.' })
export class DeliverableFilter {
  @Field(() => [DeliverableStatus], { nullable: true, description: 'Any of these statuses.' })
  status?: DeliverableStatus[] | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Due on or after this date.' })
  dueFrom?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Due on or before this date.' })
  dueTo?: string | null;
}

@InputType({ description: 'Ordering of deliverables.' })
export class DeliverableOrder {
  @Field(() => DeliverableOrderField, { description: 'Field to sort by.' })
  field!: DeliverableOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'Direction.' })
  direction!: OrderDirection;
}

export function deliverableSpec(filter?: DeliverableFilter | null, order?: DeliverableOrder | null) {
  const f = filter ?? {};
  const where: FilterQuery<Deliverable>[] = [oneOf('status', f.status)];
  if (f.dueFrom) where.push({ dueDate: { $gte: f.dueFrom } });
  if (f.dueTo) where.push({ dueDate: { $lte: f.dueTo } });
  return listSpec<Deliverable, DeliverableOrderField>(
    { $and: where },
    order,
    { DUE_DATE: 'dueDate', CREATED_AT: 'createdAt', TITLE: 'title', SUBMITTED_AT: 'submittedAt' },
    { field: DeliverableOrderField.DUE_DATE, direction: OrderDirection.ASC },
    filter,
  );
}
