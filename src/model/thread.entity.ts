/**
 * Questions and answers on an object (a report, risk, deliverable, milestone
 * or project update). The subject is polymorphic: `subjectType` +
 * `subjectId` name it, and exactly one typed foreign key (the one of its
 * type, equal to `subjectId`) links it, so the visibility rule of a thread is
 * the rule of its subject's type applied through that key (src/access/policy.ts)
 * and a deleted subject takes its threads with it. `project` is copied from
 * the subject so project-level scope is one indexed condition.
 */
import { Check, Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from './node';
import { DateTimeScalar } from '../core/scalars';
import { Deliverable } from './deliverable.entity';
import { FinancialReport } from './financial-report.entity';
import { Organization, User } from './identity.entity';
import { Milestone } from './milestone.entity';
import { Project } from './project.entity';
import { Risk } from './risk.entity';
import { ProjectUpdate } from './update.entity';

export enum ThreadSubjectType {
  FinancialReport = 'FinancialReport',
  Risk = 'Risk',
  Deliverable = 'Deliverable',
  Milestone = 'Milestone',
  ProjectUpdate = 'ProjectUpdate',
}
registerEnumType(ThreadSubjectType, { name: 'ThreadSubjectType', description: 'The kind of object a Q&A thread is about (its GraphQL type name).' });

export enum ThreadStatus {
  OPEN = 'OPEN',
  ANSWERED = 'ANSWERED',
  CLOSED = 'CLOSED',
}
registerEnumType(ThreadStatus, {
  name: 'ThreadStatus',
  description: 'OPEN (waiting for the operator) ⇄ ANSWERED (the operator wrote last) → CLOSED.',
  valuesConfig: {
    OPEN: { description: 'The asker wrote last; waiting for an answer.' },
    ANSWERED: { description: 'The operator wrote last.' },
    CLOSED: { description: 'Closed by the operator; no further messages.' },
  },
});

@ObjectType({ implements: Node, description: 'A question asked about an object, with its answers and follow-ups.' })
@Entity({ tableName: 'qa_thread' })
@Index({ name: 'qa_thread_subject_index', properties: ['subjectType', 'subjectId'] })
@Check({
  name: 'qa_thread_subject_matches',
  expression: `num_nonnulls(report_id, risk_id, deliverable_id, milestone_id, update_id) = 1 and subject_id = case subject_type
    when 'FinancialReport' then report_id when 'Risk' then risk_id when 'Deliverable' then deliverable_id
    when 'Milestone' then milestone_id when 'ProjectUpdate' then update_id else null end`,
})
export class QaThread extends BaseEntity {
  @Index()
  @ManyToOne(() => Project, { deleteRule: 'restrict' })
  project!: Project;

  @Field(() => ThreadSubjectType, { description: 'The kind of object the thread is about.' })
  @Enum({ items: () => ThreadSubjectType, nativeEnumName: 'thread_subject_type' })
  subjectType!: ThreadSubjectType;

  /** The subject's UUID; the typed key below holds the same value. */
  @Property({ type: 'uuid' })
  subjectId!: string;

  @Index()
  @ManyToOne(() => FinancialReport, { nullable: true, deleteRule: 'cascade' })
  report?: FinancialReport | null;

  @Index()
  @ManyToOne(() => Risk, { nullable: true, deleteRule: 'cascade' })
  risk?: Risk | null;

  @Index()
  @ManyToOne(() => Deliverable, { nullable: true, deleteRule: 'cascade' })
  deliverable?: Deliverable | null;

  @Index()
  @ManyToOne(() => Milestone, { nullable: true, deleteRule: 'cascade' })
  milestone?: Milestone | null;

  @Index()
  @ManyToOne(() => ProjectUpdate, { nullable: true, deleteRule: 'cascade' })
  update?: ProjectUpdate | null;

  /** The asker's organization: a private thread is visible to its users (and the project's operator staff). */
  @Index()
  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  askerOrganization!: Organization;

  @Index()
  @ManyToOne(() => User, { deleteRule: 'restrict' })
  askedBy!: User;

  @Field({ description: 'Title of the question.' })
  @Property({ length: 200 })
  title!: string;

  @Field({ name: 'private', description: 'True while only the asking organization and the operator staff of the project see the thread.' })
  @Property({ fieldName: 'is_private' })
  isPrivate!: boolean;

  @Field(() => ThreadStatus, { description: 'Status.' })
  @Enum({ items: () => ThreadStatus, nativeEnumName: 'thread_status' })
  status: ThreadStatus = ThreadStatus.OPEN;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the operator published a private thread to everyone who sees its object.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  publishedAt?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was closed.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  closedAt?: Date | null;

  @Field(() => DateTimeScalar, { description: 'When the last message was posted.' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  lastMessageAt: Date = new Date();
}

@ObjectType({ implements: Node, description: 'A message in a Q&A thread: the question, an answer or a follow-up.' })
@Entity({ tableName: 'qa_message' })
export class QaMessage extends BaseEntity {
  @Index()
  @ManyToOne(() => QaThread, { deleteRule: 'cascade' })
  thread!: QaThread;

  @Index()
  @ManyToOne(() => Project, { deleteRule: 'restrict' })
  project!: Project;

  @Index()
  @ManyToOne(() => User, { deleteRule: 'restrict' })
  author!: User;

  @Field({ description: 'True when written by the operator\'s staff (an answer).' })
  @Property()
  fromOperator!: boolean;

  @Field({ description: 'Body (markdown).' })
  @Property({ type: 'text' })
  body!: string;

  /** UUIDs of the operator staff mentioned in the message (each one an ADMIN or a MANAGER of the project when posted). */
  @Property({ type: 'json', columnType: 'jsonb', default: '[]' })
  mentionIds: string[] = [];
}
