/**
 * Files (docs/files.md). A `File` row is the metadata of one uploaded file;
 * its bytes are in the storage the row names (PostgreSQL chunks in
 * `file_chunk`, or an S3-compatible bucket under the file's id).
 *
 * An uploaded file is PENDING: owned by its uploader, attached to nothing,
 * expiring at `expiresAt`. A mutation that references it attaches it to one
 * object (polymorphic, like a Q&A thread's subject: `subjectType` +
 * `subjectId` and one typed foreign key), and from then on it is visible
 * exactly when that object is (policy.file). `project` is copied from the
 * object when attached, so project-level scope is one indexed condition.
 *
 * The document room: a project's folders (`DocumentFolder`) hold documents
 * (`ProjectDocument`), each one file with an audience like a project update's.
 */
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from './node';
import { DateTimeScalar } from '../core/scalars';
import { Contract } from './contract.entity';
import { DeliverableSubmission } from './deliverable.entity';
import { FinancialReport } from './financial-report.entity';
import { User } from './identity.entity';
import { Project } from './project.entity';
import { Risk } from './risk.entity';
import { ProjectUpdate, UpdateAudience } from './update.entity';

export enum FileStatus {
  PENDING = 'PENDING',
  ATTACHED = 'ATTACHED',
}
registerEnumType(FileStatus, {
  name: 'FileStatus',
  description: 'PENDING (uploaded, attached to nothing, visible to its uploader only, expires) → ATTACHED (visible with its object).',
});

export enum FileSubjectType {
  DeliverableSubmission = 'DeliverableSubmission',
  FinancialReport = 'FinancialReport',
  Contract = 'Contract',
  ProjectUpdate = 'ProjectUpdate',
  Risk = 'Risk',
  ProjectDocument = 'ProjectDocument',
}
registerEnumType(FileSubjectType, { name: 'FileSubjectType', description: 'The kind of object a file is attached to (its GraphQL type name).' });

export enum FileStorageKind {
  POSTGRES = 'POSTGRES',
  S3 = 'S3',
}

@ObjectType({ implements: Node, description: 'A folder of a project\'s document room.' })
@Entity({ tableName: 'document_folder' })
export class DocumentFolder extends BaseEntity {
  @Index()
  @ManyToOne(() => Project, { deleteRule: 'cascade' })
  project!: Project;

  @Field({ description: 'Name of the folder.' })
  @Property({ length: 200 })
  name!: string;
}

@ObjectType({ implements: Node, description: 'A document of a project\'s document room (a letter, a statement): one file, with an audience like a project update\'s.' })
@Entity({ tableName: 'project_document' })
export class ProjectDocument extends BaseEntity {
  @Index()
  @ManyToOne(() => Project, { deleteRule: 'cascade' })
  project!: Project;

  @Index()
  @ManyToOne(() => DocumentFolder, { deleteRule: 'cascade' })
  folder!: DocumentFolder;

  @Index()
  @ManyToOne(() => User, { deleteRule: 'restrict' })
  author!: User;

  @Field({ description: 'Title.' })
  @Property({ length: 200 })
  title!: string;

  @Field(() => UpdateAudience, { description: 'Who besides the operator reads it: the same audiences as project updates.' })
  @Index()
  @Enum({ items: () => UpdateAudience, nativeEnumName: 'update_audience' })
  audience!: UpdateAudience;
}

@ObjectType('File', { implements: Node, description: 'An uploaded file: its name, sniffed type, size and SHA-256, and a short-lived download URL.' })
@Entity({ tableName: 'file' })
@Index({ name: 'file_subject_index', properties: ['subjectType', 'subjectId'] })
@Check({
  name: 'file_subject_matches',
  expression: `num_nonnulls(submission_id, report_id, contract_id, update_id, risk_id, document_id) <= 1 and subject_id = case subject_type
    when 'DeliverableSubmission' then submission_id when 'FinancialReport' then report_id when 'Contract' then contract_id
    when 'ProjectUpdate' then update_id when 'Risk' then risk_id when 'ProjectDocument' then document_id else null end`,
})
@Check({ name: 'file_attached_has_subject', expression: `(status = 'PENDING') = (subject_type is null)` })
@Check({ name: 'file_size_positive', expression: 'size > 0' })
export class File extends BaseEntity {
  /** Null while PENDING; the object's project once attached. */
  @Index()
  @ManyToOne(() => Project, { nullable: true, deleteRule: 'cascade' })
  project?: Project | null;

  @Index()
  @ManyToOne(() => User, { deleteRule: 'restrict' })
  uploadedBy!: User;

  @Field({ description: 'The file name the uploader gave (without any path).' })
  @Property({ length: 255 })
  name!: string;

  @Field({ description: 'The content type sniffed from the bytes at upload (never the one the client declared).' })
  @Property({ length: 100 })
  contentType!: string;

  /** Bytes; integer, at most MAX_UPLOAD_BYTES (below 2 GiB). */
  @Property({ type: 'integer' })
  size!: number;

  @Field({ description: 'SHA-256 of the bytes, hex; also the download\'s ETag.' })
  @Property({ length: 64 })
  sha256!: string;

  @Enum({ items: () => FileStorageKind, nativeEnumName: 'file_storage_kind' })
  storage!: FileStorageKind;

  @Field(() => FileStatus, { description: 'PENDING until a mutation attaches it to an object.' })
  @Index()
  @Enum({ items: () => FileStatus, nativeEnumName: 'file_status' })
  status: FileStatus = FileStatus.PENDING;

  /** When a PENDING file is discarded; null once attached. */
  @Index()
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  expiresAt?: Date | null;

  @Field(() => FileSubjectType, { nullable: true, description: 'The kind of object it is attached to; null while PENDING.' })
  @Enum({ items: () => FileSubjectType, nativeEnumName: 'file_subject_type', nullable: true })
  subjectType?: FileSubjectType | null;

  @Property({ type: 'uuid', nullable: true })
  subjectId?: string | null;

  @Index()
  @ManyToOne(() => DeliverableSubmission, { nullable: true, deleteRule: 'cascade' })
  submission?: DeliverableSubmission | null;

  @Index()
  @ManyToOne(() => FinancialReport, { nullable: true, deleteRule: 'cascade' })
  report?: FinancialReport | null;

  @Index()
  @ManyToOne(() => Contract, { nullable: true, deleteRule: 'cascade' })
  contract?: Contract | null;

  @Index()
  @ManyToOne(() => ProjectUpdate, { nullable: true, deleteRule: 'cascade' })
  update?: ProjectUpdate | null;

  @Index()
  @ManyToOne(() => Risk, { nullable: true, deleteRule: 'cascade' })
  risk?: Risk | null;

  @Index()
  @ManyToOne(() => ProjectDocument, { nullable: true, deleteRule: 'cascade' })
  document?: ProjectDocument | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was attached to its object.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  attachedAt?: Date | null;
}

/**
 * The bytes of a file kept in PostgreSQL: consecutive chunks (256 KiB), read
 * and written one at a time so no file is ever whole in memory. Not an API
 * object: only the file storage reads it, after the policy allowed the file.
 */
@Entity({ tableName: 'file_chunk' })
export class FileChunk {
  @ManyToOne(() => File, { primary: true, deleteRule: 'cascade' })
  file!: File;

  @PrimaryKey({ type: 'integer' })
  seq!: number;

  @Property({ type: 'blob' })
  data!: Buffer;
}
