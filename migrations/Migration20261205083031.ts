import { Migration } from '@mikro-orm/migrations';

export class Migration20261205083031 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "thread_subject_type" as enum ('FinancialReport', 'Risk', 'Deliverable', 'Milestone', 'ProjectUpdate');`);
    this.addSql(`create type "thread_status" as enum ('OPEN', 'ANSWERED', 'CLOSED');`);
    this.addSql(`create table "report_acknowledgement" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "report_id" uuid not null, "project_id" uuid not null, "user_id" uuid not null, "organization_id" uuid not null, "opened_at" timestamptz null, "acknowledged_at" timestamptz null, constraint "report_acknowledgement_pkey" primary key ("id"));`);
    this.addSql(`create index "report_acknowledgement_report_id_index" on "report_acknowledgement" ("report_id");`);
    this.addSql(`create index "report_acknowledgement_project_id_index" on "report_acknowledgement" ("project_id");`);
    this.addSql(`create index "report_acknowledgement_user_id_index" on "report_acknowledgement" ("user_id");`);
    this.addSql(`create index "report_acknowledgement_organization_id_index" on "report_acknowledgement" ("organization_id");`);
    this.addSql(`alter table "report_acknowledgement" add constraint "report_acknowledgement_report_user_unique" unique ("report_id", "user_id");`);

    this.addSql(`create table "qa_thread" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "project_id" uuid not null, "subject_type" "thread_subject_type" not null, "subject_id" uuid not null, "report_id" uuid null, "risk_id" uuid null, "deliverable_id" uuid null, "milestone_id" uuid null, "update_id" uuid null, "asker_organization_id" uuid not null, "asked_by_id" uuid not null, "title" varchar(200) not null, "is_private" boolean not null, "status" "thread_status" not null default 'OPEN', "published_at" timestamptz null, "closed_at" timestamptz null, "last_message_at" timestamptz not null, constraint "qa_thread_pkey" primary key ("id"), constraint qa_thread_subject_matches check (num_nonnulls(report_id, risk_id, deliverable_id, milestone_id, update_id) = 1 and subject_id = case subject_type
    when 'FinancialReport' then report_id when 'Risk' then risk_id when 'Deliverable' then deliverable_id
    when 'Milestone' then milestone_id when 'ProjectUpdate' then update_id else null end));`);
    this.addSql(`create index "qa_thread_project_id_index" on "qa_thread" ("project_id");`);
    this.addSql(`create index "qa_thread_report_id_index" on "qa_thread" ("report_id");`);
    this.addSql(`create index "qa_thread_risk_id_index" on "qa_thread" ("risk_id");`);
    this.addSql(`create index "qa_thread_deliverable_id_index" on "qa_thread" ("deliverable_id");`);
    this.addSql(`create index "qa_thread_milestone_id_index" on "qa_thread" ("milestone_id");`);
    this.addSql(`create index "qa_thread_update_id_index" on "qa_thread" ("update_id");`);
    this.addSql(`create index "qa_thread_asker_organization_id_index" on "qa_thread" ("asker_organization_id");`);
    this.addSql(`create index "qa_thread_asked_by_id_index" on "qa_thread" ("asked_by_id");`);
    this.addSql(`create index "qa_thread_subject_index" on "qa_thread" ("subject_type", "subject_id");`);

    this.addSql(`create table "qa_message" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "thread_id" uuid not null, "project_id" uuid not null, "author_id" uuid not null, "from_operator" boolean not null, "body" text not null, "mention_ids" jsonb not null default '[]', constraint "qa_message_pkey" primary key ("id"));`);
    this.addSql(`create index "qa_message_thread_id_index" on "qa_message" ("thread_id");`);
    this.addSql(`create index "qa_message_project_id_index" on "qa_message" ("project_id");`);
    this.addSql(`create index "qa_message_author_id_index" on "qa_message" ("author_id");`);

    this.addSql(`alter table "report_acknowledgement" add constraint "report_acknowledgement_report_id_foreign" foreign key ("report_id") references "financial_report" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "report_acknowledgement" add constraint "report_acknowledgement_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "report_acknowledgement" add constraint "report_acknowledgement_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "report_acknowledgement" add constraint "report_acknowledgement_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "qa_thread" add constraint "qa_thread_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "qa_thread" add constraint "qa_thread_report_id_foreign" foreign key ("report_id") references "financial_report" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "qa_thread" add constraint "qa_thread_risk_id_foreign" foreign key ("risk_id") references "risk" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "qa_thread" add constraint "qa_thread_deliverable_id_foreign" foreign key ("deliverable_id") references "deliverable" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "qa_thread" add constraint "qa_thread_milestone_id_foreign" foreign key ("milestone_id") references "milestone" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "qa_thread" add constraint "qa_thread_update_id_foreign" foreign key ("update_id") references "project_update" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "qa_thread" add constraint "qa_thread_asker_organization_id_foreign" foreign key ("asker_organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "qa_thread" add constraint "qa_thread_asked_by_id_foreign" foreign key ("asked_by_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "qa_message" add constraint "qa_message_thread_id_foreign" foreign key ("thread_id") references "qa_thread" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "qa_message" add constraint "qa_message_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "qa_message" add constraint "qa_message_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on update cascade on delete restrict;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "qa_message" drop constraint "qa_message_thread_id_foreign";`);

    this.addSql(`drop table if exists "report_acknowledgement" cascade;`);

    this.addSql(`drop table if exists "qa_thread" cascade;`);

    this.addSql(`drop table if exists "qa_message" cascade;`);

    this.addSql(`drop type "thread_subject_type";`);
    this.addSql(`drop type "thread_status";`);
  }

}
