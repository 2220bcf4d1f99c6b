import { Field, ID, InputType } from 'type-graphql';
import { LocalDateScalar } from '../../core/scalars';
import { ExportFormat, ExportJob, ExportKind } from '../../model/export.entity';
import { payloadOf } from '../../write/payloads';

@InputType({ description: 'Which rows of the list to export; all given conditions must hold.' })
export class ExportFilter {
  @Field(() => String, {
    nullable: true,
    description: 'Deliverables, milestones, risks: only this status (e.g. SUBMITTED). Audit events: only this action (e.g. deliverable.reject).',
  })
  status?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Deliverables and milestones due on or after this day; audit events on or after it (UTC).' })
  from?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Deliverables and milestones due on or before this day; audit events before it (UTC).' })
  to?: string | null;

  @Field(() => ID, { nullable: true, description: 'Audit events: only those caused by this user.' })
  actorId?: string | null;

  @Field(() => String, { nullable: true, description: 'Audit events: only those about objects of this type (an AuditEntityType value, e.g. Deliverable).' })
  entityType?: string | null;
}

@InputType({ description: 'What to export, in which format.' })
export class RequestExportInput {
  @Field(() => ExportKind, { description: 'The list (or the investor pack) to export.' })
  kind!: ExportKind;

  @Field(() => ExportFormat, { description: 'CSV or XLSX for a list, PDF for the investor pack.' })
  format!: ExportFormat;

  @Field(() => ID, { nullable: true, description: 'Only this project\'s rows (lists); the project of the investor pack (required for it).' })
  projectId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The financial report whose lines to export (REPORT_LINES, required).' })
  reportId?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Investor pack: the date its figures are computed for (the period\'s end); default today (UTC).' })
  asOf?: string | null;

  @Field(() => ExportFilter, { nullable: true, description: 'Which rows of a list to export; default all the viewer sees.' })
  filter?: ExportFilter | null;
}

export const RequestExportPayload = payloadOf(ExportJob, 'exportJob', 'RequestExportPayload', 'The export job: DONE at once for a small export, else QUEUED (follow its progress with node(id:)).');
