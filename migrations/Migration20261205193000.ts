import { Migration } from '@mikro-orm/migrations';

export class Migration20261205193000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "export_kind" as enum ('DELIVERABLES', 'MILESTONES', 'RISKS', 'REPORT_LINES', 'AUDIT_EVENTS', 'INVESTOR_PACK');`);
    this.addSql(`create type "export_format" as enum ('CSV', 'XLSX', 'PDF');`);
    this.addSql(`create type "export_status" as enum ('QUEUED', 'RUNNING', 'DONE', 'FAILED');`);
    this.addSql(`create table "export_job" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "requester_id" uuid not null, "project_id" uuid null, "kind" "export_kind" not null, "format" "export_format" not null, "status" "export_status" not null default 'QUEUED', "progress" smallint not null default 0, "params" jsonb not null, "row_count" int null, "file_name" varchar(200) not null, "content_type" varchar(100) not null, "size" int null, "content" bytea null, "error" text null, "finished_at" timestamptz null, constraint "export_job_pkey" primary key ("id"), constraint export_job_progress_range check ((progress >= 0) AND (progress <= 100)));`);
    this.addSql(`create index "export_job_requester_id_index" on "export_job" ("requester_id");`);
    this.addSql(`create index "export_job_project_id_index" on "export_job" ("project_id");`);

    this.addSql(`alter table "export_job" add constraint "export_job_requester_id_foreign" foreign key ("requester_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "export_job" add constraint "export_job_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "export_job" cascade;`);

    this.addSql(`drop type "export_kind";`);
    this.addSql(`drop type "export_format";`);
    this.addSql(`drop type "export_status";`);
  }

}
