import { Check, Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from './node';
import { DateTimeScalar } from '../core/scalars';
import { User } from './identity.entity';
import { Project } from './project.entity';

export enum ExportKind {
  DELIVERABLES = 'DELIVERABLES',
  MILESTONES = 'MILESTONES',
  RISKS = 'RISKS',
  REPORT_LINES = 'REPORT_LINES',
  AUDIT_EVENTS = 'AUDIT_EVENTS',
  INVESTOR_PACK = 'INVESTOR_PACK',
}
registerEnumType(ExportKind, {
  name: 'ExportKind',
  description: 'What an export holds: one of the lists (DELIVERABLES, MILESTONES, RISKS, a report\'s REPORT_LINES, AUDIT_EVENTS for operators) or a project\'s INVESTOR_PACK (PDF).',
});

export enum ExportFormat {
  CSV = 'CSV',
  XLSX = 'XLSX',
  PDF = 'PDF',
}
registerEnumType(ExportFormat, { name: 'ExportFormat', description: 'CSV (RFC 4180, UTF-8) or XLSX for lists; PDF for the investor pack.' });

export enum ExportStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  DONE = 'DONE',
  FAILED = 'FAILED',
}
registerEnumType(ExportStatus, { name: 'ExportStatus', description: 'QUEUED → RUNNING → DONE | FAILED. Small exports are DONE when requested.' });

/**
 * One requested export and, once DONE, its file (kept in `content`, never
 * read by the scoped reader: it is lazy). Visible to its requester only.
 */
@ObjectType({ implements: Node, description: 'An export the viewer requested: its progress and, when DONE, where to download it.' })
@Check({ name: 'export_job_progress_range', expression: '(progress >= 0) AND (progress <= 100)' })
@Entity({ tableName: 'export_job' })
export class ExportJob extends BaseEntity {
  /** The only user who sees the job and downloads its file. */
  @Index()
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  requester!: User;

  /** The project the export is about, when it is about one (audit events then show it to that project's managers). */
  @Index()
  @ManyToOne(() => Project, { nullable: true, deleteRule: 'cascade' })
  project?: Project | null;

  @Field(() => ExportKind, { description: 'What it exports.' })
  @Enum({ items: () => ExportKind, nativeEnumName: 'export_kind' })
  kind!: ExportKind;

  @Field(() => ExportFormat, { description: 'File format.' })
  @Enum({ items: () => ExportFormat, nativeEnumName: 'export_format' })
  format!: ExportFormat;

  @Field(() => ExportStatus, { description: 'Where the export stands.' })
  @Enum({ items: () => ExportStatus, nativeEnumName: 'export_status' })
  status: ExportStatus = ExportStatus.QUEUED;

  @Field(() => Int, { description: 'Progress in percent, 0–100 (100 when DONE).' })
  @Property({ type: 'smallint', default: 0 })
  progress: number = 0;

  /** The request's parameters (ids as raw uuids, filter values), as the runner needs them. */
  @Property({ type: 'json', columnType: 'jsonb' })
  params: Record<string, unknown> = {};

  @Field(() => Int, { nullable: true, description: 'Rows written (lists) or sections (investor pack); null until DONE.' })
  @Property({ type: 'integer', nullable: true })
  rowCount?: number | null;

  @Field(() => String, { description: 'Name of the file, e.g. deliverables-2026-12-05.csv.' })
  @Property({ length: 200 })
  fileName!: string;

  @Field(() => String, { description: 'MIME type of the file.' })
  @Property({ length: 100 })
  contentType!: string;

  @Field(() => Int, { nullable: true, description: 'Size of the file in bytes; null until DONE.' })
  @Property({ type: 'integer', nullable: true })
  size?: number | null;

  /** The file; lazy, so the scoped reader never selects it. */
  @Property({ type: 'blob', lazy: true, nullable: true })
  content?: Buffer | null;

  @Field(() => String, { nullable: true, description: 'Why it FAILED; null otherwise.' })
  @Property({ type: 'text', nullable: true })
  error?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it became DONE or FAILED.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  finishedAt?: Date | null;
}
