import { Migration } from '@mikro-orm/migrations';

export class Migration20261205192000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "file_storage_kind" as enum ('POSTGRES', 'S3');`);
    this.addSql(`create type "file_status" as enum ('PENDING', 'ATTACHED');`);
    this.addSql(`create type "file_subject_type" as enum ('DeliverableSubmission', 'FinancialReport', 'Contract', 'ProjectUpdate', 'Risk', 'ProjectDocument');`);
    this.addSql(`create table "document_folder" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "project_id" uuid not null, "name" varchar(200) not null, constraint "document_folder_pkey" primary key ("id"));`);
    this.addSql(`create index "document_folder_project_id_index" on "document_folder" ("project_id");`);

    this.addSql(`create table "project_document" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "project_id" uuid not null, "folder_id" uuid not null, "author_id" uuid not null, "title" varchar(200) not null, "audience" "update_audience" not null, constraint "project_document_pkey" primary key ("id"));`);
    this.addSql(`create index "project_document_project_id_index" on "project_document" ("project_id");`);
    this.addSql(`create index "project_document_folder_id_index" on "project_document" ("folder_id");`);
    this.addSql(`create index "project_document_author_id_index" on "project_document" ("author_id");`);
    this.addSql(`create index "project_document_audience_index" on "project_document" ("audience");`);

    this.addSql(`create table "file" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "project_id" uuid null, "uploaded_by_id" uuid not null, "name" varchar(255) not null, "content_type" varchar(100) not null, "size" int not null, "sha256" varchar(64) not null, "storage" "file_storage_kind" not null, "status" "file_status" not null default 'PENDING', "expires_at" timestamptz null, "subject_type" "file_subject_type" null, "subject_id" uuid null, "submission_id" uuid null, "report_id" uuid null, "contract_id" uuid null, "update_id" uuid null, "risk_id" uuid null, "document_id" uuid null, "attached_at" timestamptz null, constraint "file_pkey" primary key ("id"), constraint file_size_positive check (size > 0), constraint file_attached_has_subject check ((status = 'PENDING') = (subject_type is null)), constraint file_subject_matches check (num_nonnulls(submission_id, report_id, contract_id, update_id, risk_id, document_id) <= 1 and subject_id = case subject_type
    when 'DeliverableSubmission' then submission_id when 'FinancialReport' then report_id when 'Contract' then contract_id
    when 'ProjectUpdate' then update_id when 'Risk' then risk_id when 'ProjectDocument' then document_id else null end));`);
    this.addSql(`create index "file_project_id_index" on "file" ("project_id");`);
    this.addSql(`create index "file_uploaded_by_id_index" on "file" ("uploaded_by_id");`);
    this.addSql(`create index "file_status_index" on "file" ("status");`);
    this.addSql(`create index "file_expires_at_index" on "file" ("expires_at");`);
    this.addSql(`create index "file_submission_id_index" on "file" ("submission_id");`);
    this.addSql(`create index "file_report_id_index" on "file" ("report_id");`);
    this.addSql(`create index "file_contract_id_index" on "file" ("contract_id");`);
    this.addSql(`create index "file_update_id_index" on "file" ("update_id");`);
    this.addSql(`create index "file_risk_id_index" on "file" ("risk_id");`);
    this.addSql(`create index "file_document_id_index" on "file" ("document_id");`);
    this.addSql(`create index "file_subject_index" on "file" ("subject_type", "subject_id");`);

    this.addSql(`create table "file_chunk" ("file_id" uuid not null, "seq" int not null, "data" bytea not null, constraint "file_chunk_pkey" primary key ("file_id", "seq"));`);
    // Uploads are mostly compressed already (PDF, images, zip-based office files): store chunks out of line without trying to compress them.
    this.addSql(`alter table "file_chunk" alter column "data" set storage external;`);

    this.addSql(`alter table "document_folder" add constraint "document_folder_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "project_document" add constraint "project_document_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "project_document" add constraint "project_document_folder_id_foreign" foreign key ("folder_id") references "document_folder" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "project_document" add constraint "project_document_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "file" add constraint "file_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "file" add constraint "file_uploaded_by_id_foreign" foreign key ("uploaded_by_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "file" add constraint "file_submission_id_foreign" foreign key ("submission_id") references "deliverable_submission" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "file" add constraint "file_report_id_foreign" foreign key ("report_id") references "financial_report" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "file" add constraint "file_contract_id_foreign" foreign key ("contract_id") references "contract" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "file" add constraint "file_update_id_foreign" foreign key ("update_id") references "project_update" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "file" add constraint "file_risk_id_foreign" foreign key ("risk_id") references "risk" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "file" add constraint "file_document_id_foreign" foreign key ("document_id") references "project_document" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "file_chunk" add constraint "file_chunk_file_id_foreign" foreign key ("file_id") references "file" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "project_document" drop constraint "project_document_folder_id_foreign";`);

    this.addSql(`alter table "file" drop constraint "file_document_id_foreign";`);

    this.addSql(`alter table "file_chunk" drop constraint "file_chunk_file_id_foreign";`);

    this.addSql(`drop table if exists "document_folder" cascade;`);

    this.addSql(`drop table if exists "project_document" cascade;`);

    this.addSql(`drop table if exists "file" cascade;`);

    this.addSql(`drop table if exists "file_chunk" cascade;`);

    this.addSql(`drop type "file_storage_kind";`);
    this.addSql(`drop type "file_status";`);
    this.addSql(`drop type "file_subject_type";`);
  }

}
