import { Check, Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from './node';
import { DateTimeScalar, DecimalScalar, LocalDateScalar } from '../core/scalars';
import { User } from './identity.entity';
import { Project } from './project.entity';

export enum ReportStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  SUPERSEDED = 'SUPERSEDED',
}
registerEnumType(ReportStatus, {
  name: 'ReportStatus',
  description: 'DRAFT → PUBLISHED → SUPERSEDED. A published report is immutable; a restatement supersedes it.',
});

export enum SpendCategory {
  LABOR = 'LABOR',
  VENDORS = 'VENDORS',
  INFRASTRUCTURE = 'INFRASTRUCTURE',
  LICENSES = 'LICENSES',
  OTHER = 'OTHER',
}
registerEnumType(SpendCategory, { name: 'SpendCategory', description: 'Category of spend on a report line.' });

@ObjectType({ implements: Node, description: 'A revision of a project\'s financial report for one period.' })
@Check({ name: 'financial_report_period_ordered', expression: 'period_end > period_start' })
@Check({ name: 'financial_report_revision_positive', expression: 'revision >= 1' })
@Entity({ tableName: 'financial_report' })
@Unique({ name: 'financial_report_period_revision_unique', properties: ['project', 'periodStart', 'revision'] })
export class FinancialReport extends BaseEntity {
  @Index()
  @ManyToOne(() => Project, { deleteRule: 'restrict' })
  project!: Project;

  @Field(() => LocalDateScalar, { description: 'First day of the period.' })
  @Property({ type: 'date' })
  periodStart!: string;

  @Field(() => LocalDateScalar, { description: 'Last day of the period.' })
  @Index()
  @Property({ type: 'date' })
  periodEnd!: string;

  @Field(() => Int, { description: 'Revision of this period: 1 for the original, higher for restatements.' })
  @Property({ type: 'smallint', default: 1 })
  revision: number = 1;

  @Field(() => ReportStatus, { description: 'Status.' })
  @Index()
  @Enum({ items: () => ReportStatus, nativeEnumName: 'report_status' })
  status: ReportStatus = ReportStatus.DRAFT;

  @Field({ description: 'Summary for readers (markdown).' })
  @Property({ type: 'text', default: '' })
  summary: string = '';

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was published.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  publishedAt?: Date | null;

  @Index()
  @ManyToOne(() => User, { nullable: true, deleteRule: 'restrict' })
  publishedBy?: User | null;
}

@ObjectType({ implements: Node, description: 'Planned and actual spend of one category in a report\'s period.' })
@Check({ name: 'financial_report_line_non_negative', expression: 'planned >= 0 and actual >= 0 and estimate_to_complete >= 0' })
@Entity({ tableName: 'financial_report_line' })
@Unique({ name: 'financial_report_line_category_unique', properties: ['report', 'category'] })
export class FinancialReportLine extends BaseEntity {
  @Index()
  @ManyToOne(() => FinancialReport, { deleteRule: 'cascade' })
  report!: FinancialReport;

  @Field(() => SpendCategory, { description: 'Category of spend.' })
  @Enum({ items: () => SpendCategory, nativeEnumName: 'spend_category' })
  category!: SpendCategory;

  @Field(() => DecimalScalar, { description: 'Planned spend in the period.' })
  @Property({ type: 'decimal', precision: 18, scale: 2 })
  planned!: string;

  @Field(() => DecimalScalar, { description: 'Actual spend in the period.' })
  @Property({ type: 'decimal', precision: 18, scale: 2 })
  actual!: string;

  @Field(() => DecimalScalar, { description: 'Estimate to complete for this category, as of the period\'s end.' })
  @Property({ type: 'decimal', precision: 18, scale: 2 })
  estimateToComplete!: string;
}
