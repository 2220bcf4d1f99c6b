import { Field, InputType, registerEnumType } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { today } from '../../core/dates';
import { listSpec, oneOf } from '../../access/listing';
import { OrderDirection } from '../../core/pagination';
import { LocalDateScalar } from '../../core/scalars';
import { Milestone, MilestoneStatus } from '../../model/milestone.entity';

export enum MilestoneOrderField { DUE_DATE = 'DUE_DATE', CREATED_AT = 'CREATED_AT', TITLE = 'TITLE' }
registerEnumType(MilestoneOrderField, { name: 'MilestoneOrderField', description: 'Fields milestones can be sorted by.' });

@InputType({ description: 'Milestone filter; all given conditions must hold.' })
export class MilestoneFilter {
  @Field(() => [MilestoneStatus], { nullable: true, description: 'Any of these statuses.' })
  status?: MilestoneStatus[] | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Due on or after this date.' })
  dueFrom?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Due on or before this date.' })
  dueTo?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only overdue (due date passed, not DONE or CANCELLED); false: only not overdue.' })
  overdue?: boolean | null;
}

@InputType({ description: 'Ordering of milestones.' })
export class MilestoneOrder {
  @Field(() => MilestoneOrderField, { description: 'Field to sort by.' })
  field!: MilestoneOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'Direction.' })
  direction!: OrderDirection;
}

const OPEN = [MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS];

export function milestoneSpec(filter?: MilestoneFilter | null, order?: MilestoneOrder | null) {
  const f = filter ?? {};
  const where: FilterQuery<Milestone>[] = [oneOf('status', f.status)];
  if (f.dueFrom) where.push({ dueDate: { $gte: f.dueFrom } });
  if (f.dueTo) where.push({ dueDate: { $lte: f.dueTo } });
  if (f.overdue === true) where.push({ dueDate: { $lt: today() }, status: { $in: OPEN } });
  if (f.overdue === false) where.push({ $or: [{ dueDate: { $gte: today() } }, { status: { $nin: OPEN } }] });
  return listSpec<Milestone, MilestoneOrderField>(
    { $and: where },
    order,
    { DUE_DATE: 'dueDate', CREATED_AT: 'createdAt', TITLE: 'title' },
    { field: MilestoneOrderField.DUE_DATE, direction: OrderDirection.ASC },
    [filter, f.overdue === undefined || f.overdue === null ? null : today()],
  );
}

export function isOverdue(m: Milestone, on = today()): boolean {
  return m.dueDate < on && OPEN.includes(m.status);
}
