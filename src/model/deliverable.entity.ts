import { Check, Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from './node';
import { DateTimeScalar, LocalDateScalar } from '../core/scalars';
import { Contract } from './contract.entity';
import { User } from './identity.entity';
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

  @Field(() => Int, { description: 'The current review round: the number of times it was submitted (0 before its first submission).' })
  @Property({ type: 'integer', default: 0 })
  round: number = 0;
}

export enum DeliverableDecision {
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
}
registerEnumType(DeliverableDecision, { name: 'DeliverableDecision', description: 'The operator\'s decision on one submission of a deliverable.' });

/**
 * One submission of a deliverable: round n is its n-th submission. Append-only,
 * written in the same transaction as submitDeliverable's state change.
 */
@ObjectType({ implements: Node, description: 'One submission of a deliverable for review (a round), with the partner\'s note.' })
@Check({ name: 'deliverable_submission_round_positive', expression: 'round >= 1' })
@Unique({ name: 'deliverable_submission_round_unique', properties: ['deliverable', 'round'] })
@Entity({ tableName: 'deliverable_submission' })
export class DeliverableSubmission extends BaseEntity {
  @Index()
  @ManyToOne(() => Deliverable, { deleteRule: 'cascade' })
  deliverable!: Deliverable;

  @Field(() => Int, { description: 'Round number, from 1: the n-th submission of the deliverable.' })
  @Property({ type: 'integer' })
  round!: number;

  @Field(() => String, { nullable: true, description: 'The partner\'s note with this submission.' })
  @Property({ type: 'text', nullable: true })
  note?: string | null;

  /** Null only for rounds recovered from data written before rounds were kept, when the submitter is unknown. */
  @Index()
  @ManyToOne(() => User, { nullable: true, deleteRule: 'restrict' })
  submittedBy?: User | null;

  @Field(() => DateTimeScalar, { description: 'When it was submitted.' })
  @Index()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  submittedAt!: Date;
}

/**
 * The operator's decision on one round. A rejection always carries its
 * reason; an acceptance may carry a comment. Append-only, written in the same
 * transaction as acceptDeliverable's or rejectDeliverable's state change.
 */
@ObjectType({ implements: Node, description: 'The operator\'s review of one submission of a deliverable: the decision and why.' })
@Check({ name: 'deliverable_review_round_positive', expression: 'round >= 1' })
@Check({ name: 'deliverable_review_rejection_has_reason', expression: "decision = 'ACCEPTED' or comment is not null" })
@Unique({ name: 'deliverable_review_round_unique', properties: ['deliverable', 'round'] })
@Entity({ tableName: 'deliverable_review' })
export class DeliverableReview extends BaseEntity {
  @Index()
  @ManyToOne(() => Deliverable, { deleteRule: 'cascade' })
  deliverable!: Deliverable;

  @Field(() => Int, { description: 'The round reviewed: the submission with the same round number.' })
  @Property({ type: 'integer' })
  round!: number;

  @Field(() => DeliverableDecision, { description: 'ACCEPTED or REJECTED.' })
  @Enum({ items: () => DeliverableDecision, nativeEnumName: 'deliverable_decision' })
  decision!: DeliverableDecision;

  @Field(() => String, { nullable: true, description: 'The rejection\'s reason (always given), or the acceptance\'s optional comment.' })
  @Property({ type: 'text', nullable: true })
  comment?: string | null;

  /** Null only for reviews recovered from data written before reviews were kept, when the reviewer is unknown. */
  @Index()
  @ManyToOne(() => User, { nullable: true, deleteRule: 'restrict' })
  reviewedBy?: User | null;

  @Field(() => DateTimeScalar, { description: 'When it was decided.' })
  @Index()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  reviewedAt!: Date;
}
