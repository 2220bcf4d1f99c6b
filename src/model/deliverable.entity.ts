import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from './node';
import { DateTimeScalar, LocalDateScalar } from '../core/scalars';
import { Contract } from './contract.entity';
import { Milestone } from './milestone.entity';
import { Project } from './project.entity';

export enum DeliverableStatus {
  PLANNED = 'PLANNED',
  IN_PROGRESS = 'IN_PROGRESS',
  SUBMITTED = 'SUBMITTED',
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
}
registerEnumType(DeliverableStatus, {
  name: 'DeliverableStatus',
  description: 'PLANNED → IN_PROGRESS → SUBMITTED → ACCEPTED | REJECTED; REJECTED → IN_PROGRESS | SUBMITTED (resubmission).',
});

@ObjectType({ implements: Node, description: 'A piece of work a partner delivers under a contract.' })
@Entity({ tableName: 'deliverable' })
export class Deliverable extends BaseEntity {
  /** Denormalized from the contract so scoping is one indexed condition; always the contract's project. */
  @Index()
  @ManyToOne(() => Project, { deleteRule: 'restrict' })
  project!: Project;

  @Index()
  @ManyToOne(() => Contract, { deleteRule: 'restrict' })
  contract!: Contract;

  @Index()
  @ManyToOne(() => Milestone, { nullable: true, deleteRule: 'set null' })
  milestone?: Milestone | null;

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

  @Field(() => DeliverableStatus, { description: 'Status.' })
  @Index()
  @Enum({ items: () => DeliverableStatus, nativeEnumName: 'deliverable_status' })
  status: DeliverableStatus = DeliverableStatus.PLANNED;

  @Field(() => String, { nullable: true, description: 'The partner\'s note with the latest submission.' })
  @Property({ type: 'text', nullable: true })
  submissionNote?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was last submitted.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  submittedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the operator rejected the latest submission.' })
  @Property({ type: 'text', nullable: true })
  rejectionReason?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the operator accepted or rejected it.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  decidedAt?: Date | null;
}
