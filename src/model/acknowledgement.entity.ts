/**
 * An investor user's reading of one report revision: when they first opened
 * it and when they acknowledged it. A restatement is a new FinancialReport
 * row, so it is opened and acknowledged afresh.
 */
import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity, Node } from './node';
import { DateTimeScalar } from '../core/scalars';
import { FinancialReport } from './financial-report.entity';
import { Organization, User } from './identity.entity';
import { Project } from './project.entity';

@ObjectType({ implements: Node, description: 'Whether and when an investor user opened and acknowledged one report revision.' })
@Entity({ tableName: 'report_acknowledgement' })
@Unique({ name: 'report_acknowledgement_report_user_unique', properties: ['report', 'user'] })
export class ReportAcknowledgement extends BaseEntity {
  @Index()
  @ManyToOne(() => FinancialReport, { deleteRule: 'cascade' })
  report!: FinancialReport;

  @Index()
  @ManyToOne(() => Project, { deleteRule: 'restrict' })
  project!: Project;

  @Index()
  @ManyToOne(() => User, { deleteRule: 'restrict' })
  user!: User;

  @Index()
  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  organization!: Organization;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the user first opened the report.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  openedAt?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the user acknowledged the report; null until then.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  acknowledgedAt?: Date | null;
}
