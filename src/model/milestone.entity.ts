import { Check, Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from './node';
import { DateTimeScalar, LocalDateScalar } from '../core/scalars';
import { Project } from './project.entity';

export enum MilestoneStatus {
  PLANNED = 'PLANNED',
  IN_PROGRESS = 'IN_PROGRESS',
  DONE = 'DONE',
  CANCELLED = 'CANCELLED',
}
registerEnumType(MilestoneStatus, { name: 'MilestoneStatus', description: 'Where a milestone stands.' });

@ObjectType({ implements: Node, description: 'A dated milestone of a project. Overdue when its due date has passed and it is not DONE or CANCELLED.' })
// Range checks spelled as PostgreSQL stores them (it rewrites `between`), so the entity/migration drift check sees no difference.
@Check({ name: 'milestone_progress_range', expression: 'progress >= 0 and progress <= 100' })
@Check({ name: 'milestone_planned_value_non_negative', expression: 'planned_value >= 0' })
@Entity({ tableName: 'milestone' })
export class Milestone extends BaseEntity {
  @Index()
  @ManyToOne(() => Project, { deleteRule: 'restrict' })
  project!: Project;

  @Field({ description: 'Title.' })
  @Property({ length: 200 })
  title!: string;

  @Field({ description: 'Description (markdown).' })
  @Property({ type: 'text', default: '' })
  description: string = '';

  @Field(() => LocalDateScalar, { description: 'Due date.' })
  @Index()
  @Property({ type: 'date' })
  dueDate!: string;

  @Field(() => MilestoneStatus, { description: 'Status.' })
  @Index()
  @Enum({ items: () => MilestoneStatus, nativeEnumName: 'milestone_status' })
  status: MilestoneStatus = MilestoneStatus.PLANNED;

  @Field(() => Int, { description: 'Progress in percent, 0–100.' })
  @Property({ type: 'smallint', default: 0 })
  progress: number = 0;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the milestone was completed.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  completedAt?: Date | null;

  /** Exposed by a field resolver: partners may not read it. */
  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  plannedValue?: string | null;
}
