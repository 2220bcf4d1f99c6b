/**
 * Domain events and the notifications delivered from them (docs/notifications.md).
 *
 * A DomainEvent is the outbox row of one change that matters to someone: it
 * is written in the same transaction as the change and its audit event, and
 * carries no money and nothing a recipient could not read on the subject
 * itself. Who is told is decided when it is delivered, not when it is written.
 */
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { v7 as uuidv7 } from 'uuid';
import { Node } from './node';
import { DateTimeScalar } from '../core/scalars';
import { AuditEvent } from './audit.entity';
import { User } from './identity.entity';
import { Project } from './project.entity';

/** Every kind of domain event, `<subject>.<what happened>`. */
export const EventType = {
  DeliverableSubmitted: 'deliverable.submitted',
  DeliverableAccepted: 'deliverable.accepted',
  DeliverableRejected: 'deliverable.rejected',
  ReportPublished: 'report.published',
  ReportRestated: 'report.restated',
  ReportSuperseded: 'report.superseded',
  RiskRaised: 'risk.raised',
  RiskReassessed: 'risk.reassessed',
  RiskShared: 'risk.shared',
  MilestoneCompleted: 'milestone.completed',
  MilestoneSlipped: 'milestone.slipped',
  ContractStatusChanged: 'contract.statusChanged',
  UpdatePosted: 'update.posted',
  InvestmentRecorded: 'investment.recorded',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];
export const EVENT_TYPES: readonly EventType[] = Object.values(EventType);

/** Append-only outbox row (no updatedAt, no version). */
@Entity({ tableName: 'domain_event' })
@Index({ name: 'domain_event_subject_index', properties: ['subjectType', 'subjectId'] })
export class DomainEvent {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  /** One of EventType. */
  @Index()
  @Property({ type: 'string', length: 60 })
  type!: EventType;

  /** GraphQL type name of the subject, e.g. Deliverable. */
  @Property({ length: 40 })
  subjectType!: string;

  @Property({ type: 'uuid' })
  subjectId!: string;

  @Index()
  @ManyToOne(() => Project, { nullable: true, deleteRule: 'restrict' })
  project?: Project | null;

  @Index()
  @ManyToOne(() => AuditEvent, { deleteRule: 'restrict' })
  auditEvent!: AuditEvent;

  @Index()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  occurredAt: Date = new Date();

  /** Non-sensitive details only: statuses, bands, revision, round — never money. */
  @Property({ type: 'json', columnType: 'jsonb' })
  data: Record<string, unknown> = {};
}

/** One user's copy of an event in the in-app inbox. */
@ObjectType({ implements: Node, description: 'A notification in the viewer\'s inbox: something changed on an object the viewer may see.' })
@Entity({ tableName: 'notification' })
@Unique({ name: 'notification_user_event_unique', properties: ['user', 'event'] })
@Index({ name: 'notification_user_created_index', properties: ['user', 'createdAt'] })
export class Notification extends Node {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Index()
  @ManyToOne(() => DomainEvent, { deleteRule: 'cascade' })
  event!: DomainEvent;

  @Field({ description: 'What happened, e.g. report.restated (see docs/notifications.md for the list).' })
  @Property({ length: 60 })
  type!: string;

  /** GraphQL type name of the subject. */
  @Property({ length: 40 })
  subjectType!: string;

  @Property({ type: 'uuid' })
  subjectId!: string;

  @Index()
  @ManyToOne(() => Project, { nullable: true, deleteRule: 'cascade' })
  project?: Project | null;

  @Field({ description: 'One line saying what happened, as the recipient could read it when it was delivered.' })
  @Property({ length: 400 })
  title!: string;

  @Field(() => DateTimeScalar, { description: 'When the change happened.' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  occurredAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When it was delivered to the inbox.' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the viewer marked it read; null while unread.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  readAt?: Date | null;
}

/**
 * When a user signed in last, and the time before: the portal marks what
 * changed since `previousVisitAt` as new. Written by sign-in.
 */
@Entity({ tableName: 'user_visit' })
export class UserVisit {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @Unique({ name: 'user_visit_user_unique' })
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  lastVisitAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  previousVisitAt?: Date | null;
}
