import { Migration } from '@mikro-orm/migrations';

export class Migration20261125175136 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "organization_kind" as enum ('OPERATOR', 'INVESTOR', 'VENDOR', 'SUBCONTRACTOR');`);
    this.addSql(`create type "project_status" as enum ('PLANNED', 'ACTIVE', 'ON_HOLD', 'COMPLETED', 'CANCELLED');`);
    this.addSql(`create type "milestone_status" as enum ('PLANNED', 'IN_PROGRESS', 'DONE', 'CANCELLED');`);
    this.addSql(`create type "contract_kind" as enum ('FIXED_PRICE', 'TIME_AND_MATERIALS');`);
    this.addSql(`create type "contract_status" as enum ('DRAFT', 'ACTIVE', 'SUSPENDED', 'COMPLETED', 'TERMINATED');`);
    this.addSql(`create type "deliverable_status" as enum ('PLANNED', 'IN_PROGRESS', 'SUBMITTED', 'ACCEPTED', 'REJECTED');`);
    this.addSql(`create type "user_role" as enum ('ADMIN', 'MANAGER', 'VIEWER', 'MEMBER');`);
    this.addSql(`create type "risk_category" as enum ('TECHNICAL', 'SCHEDULE', 'FINANCIAL', 'VENDOR', 'SECURITY', 'COMPLIANCE', 'OTHER');`);
    this.addSql(`create type "risk_status" as enum ('OPEN', 'MITIGATING', 'CLOSED', 'REALIZED');`);
    this.addSql(`create type "risk_visibility" as enum ('INTERNAL', 'CONTRACT', 'INVESTORS', 'STAKEHOLDERS');`);
    this.addSql(`create type "update_audience" as enum ('INVESTORS', 'PARTNERS', 'STAKEHOLDERS');`);
    this.addSql(`create type "report_status" as enum ('DRAFT', 'PUBLISHED', 'SUPERSEDED');`);
    this.addSql(`create type "spend_category" as enum ('LABOR', 'VENDORS', 'INFRASTRUCTURE', 'LICENSES', 'OTHER');`);
    this.addSql(`create table "organization" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "name" varchar(200) not null, "kind" "organization_kind" not null, constraint "organization_pkey" primary key ("id"));`);

    this.addSql(`create table "project" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "code" varchar(40) not null, "name" varchar(200) not null, "description" text not null default '', "status" "project_status" not null default 'PLANNED', "currency" char(3) not null, "budget" numeric(18,2) not null, "start_date" date not null, "target_end_date" date not null, constraint "project_pkey" primary key ("id"), constraint project_currency_format check (currency ~ '^[A-Z]{3}\$'), constraint project_dates_ordered check (target_end_date >= start_date), constraint project_budget_non_negative check (budget >= 0));`);
    this.addSql(`alter table "project" add constraint "project_code_unique" unique ("code");`);
    this.addSql(`create index "project_status_index" on "project" ("status");`);

    this.addSql(`create table "milestone" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "project_id" uuid not null, "title" varchar(200) not null, "description" text not null default '', "due_date" date not null, "status" "milestone_status" not null default 'PLANNED', "progress" smallint not null default 0, "completed_at" timestamptz null, "planned_value" numeric(18,2) null, constraint "milestone_pkey" primary key ("id"), constraint milestone_planned_value_non_negative check (planned_value >= 0), constraint milestone_progress_range check (progress between 0 and 100));`);
    this.addSql(`create index "milestone_project_id_index" on "milestone" ("project_id");`);
    this.addSql(`create index "milestone_due_date_index" on "milestone" ("due_date");`);
    this.addSql(`create index "milestone_status_index" on "milestone" ("status");`);

    this.addSql(`create table "investment" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "project_id" uuid not null, "organization_id" uuid not null, "committed_amount" numeric(18,2) not null, "committed_on" date not null, constraint "investment_pkey" primary key ("id"), constraint investment_amount_non_negative check (committed_amount >= 0));`);
    this.addSql(`create index "investment_project_id_index" on "investment" ("project_id");`);
    this.addSql(`create index "investment_organization_id_index" on "investment" ("organization_id");`);

    this.addSql(`create table "contract" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "project_id" uuid not null, "counterparty_id" uuid not null, "reference" varchar(60) not null, "title" varchar(200) not null, "kind" "contract_kind" not null, "value" numeric(18,2) not null, "start_date" date not null, "end_date" date not null, "status" "contract_status" not null default 'DRAFT', "termination_reason" text null, constraint "contract_pkey" primary key ("id"), constraint contract_dates_ordered check (end_date >= start_date), constraint contract_value_non_negative check (value >= 0));`);
    this.addSql(`create index "contract_project_id_index" on "contract" ("project_id");`);
    this.addSql(`create index "contract_counterparty_id_index" on "contract" ("counterparty_id");`);
    this.addSql(`create index "contract_status_index" on "contract" ("status");`);

    this.addSql(`create table "deliverable" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "project_id" uuid not null, "contract_id" uuid not null, "milestone_id" uuid null, "title" varchar(200) not null, "description" text not null default '', "due_date" date not null, "status" "deliverable_status" not null default 'PLANNED', "submission_note" text null, "submitted_at" timestamptz null, "rejection_reason" text null, "decided_at" timestamptz null, constraint "deliverable_pkey" primary key ("id"));`);
    this.addSql(`create index "deliverable_project_id_index" on "deliverable" ("project_id");`);
    this.addSql(`create index "deliverable_contract_id_index" on "deliverable" ("contract_id");`);
    this.addSql(`create index "deliverable_milestone_id_index" on "deliverable" ("milestone_id");`);
    this.addSql(`create index "deliverable_due_date_index" on "deliverable" ("due_date");`);
    this.addSql(`create index "deliverable_status_index" on "deliverable" ("status");`);

    this.addSql(`create table "app_user" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "email" varchar(320) not null, "name" varchar(200) not null, "password_hash" varchar(200) not null, "role" "user_role" not null, "organization_id" uuid not null, "disabled_at" timestamptz null, constraint "app_user_pkey" primary key ("id"));`);
    this.addSql(`alter table "app_user" add constraint "app_user_email_unique" unique ("email");`);
    this.addSql(`create index "app_user_organization_id_index" on "app_user" ("organization_id");`);

    this.addSql(`create table "risk" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "project_id" uuid not null, "contract_id" uuid null, "title" varchar(200) not null, "description" text not null default '', "category" "risk_category" not null, "likelihood" smallint not null, "impact" smallint not null, "score" smallint generated always as (likelihood * impact) stored null, "owner_id" uuid null, "mitigation_plan" text not null default '', "status" "risk_status" not null default 'OPEN', "visibility" "risk_visibility" not null default 'INTERNAL', constraint "risk_pkey" primary key ("id"), constraint risk_impact_range check (impact between 1 and 5), constraint risk_likelihood_range check (likelihood between 1 and 5));`);
    this.addSql(`create index "risk_project_id_index" on "risk" ("project_id");`);
    this.addSql(`create index "risk_contract_id_index" on "risk" ("contract_id");`);
    this.addSql(`create index "risk_score_index" on "risk" ("score");`);
    this.addSql(`create index "risk_owner_id_index" on "risk" ("owner_id");`);
    this.addSql(`create index "risk_status_index" on "risk" ("status");`);
    this.addSql(`create index "risk_visibility_index" on "risk" ("visibility");`);

    this.addSql(`create table "risk_assessment" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "risk_id" uuid not null, "likelihood" smallint not null, "impact" smallint not null, "note" text not null default '', "assessed_by_id" uuid null, "assessed_at" timestamptz not null, constraint "risk_assessment_pkey" primary key ("id"), constraint risk_assessment_impact_range check (impact between 1 and 5), constraint risk_assessment_likelihood_range check (likelihood between 1 and 5));`);
    this.addSql(`create index "risk_assessment_risk_id_index" on "risk_assessment" ("risk_id");`);
    this.addSql(`create index "risk_assessment_assessed_by_id_index" on "risk_assessment" ("assessed_by_id");`);
    this.addSql(`create index "risk_assessment_assessed_at_index" on "risk_assessment" ("assessed_at");`);

    this.addSql(`create table "project_update" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "project_id" uuid not null, "author_id" uuid not null, "title" varchar(200) not null, "body" text not null, "audience" "update_audience" not null, "published_at" timestamptz not null, constraint "project_update_pkey" primary key ("id"));`);
    this.addSql(`create index "project_update_project_id_index" on "project_update" ("project_id");`);
    this.addSql(`create index "project_update_author_id_index" on "project_update" ("author_id");`);
    this.addSql(`create index "project_update_audience_index" on "project_update" ("audience");`);
    this.addSql(`create index "project_update_published_at_index" on "project_update" ("published_at");`);

    this.addSql(`create table "project_manager" ("project_id" uuid not null, "user_id" uuid not null, constraint "project_manager_pkey" primary key ("project_id", "user_id"));`);
    this.addSql(`create index "project_manager_user_id_index" on "project_manager" ("user_id");`);

    this.addSql(`create table "financial_report" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "project_id" uuid not null, "period_start" date not null, "period_end" date not null, "revision" smallint not null default 1, "status" "report_status" not null default 'DRAFT', "summary" text not null default '', "published_at" timestamptz null, "published_by_id" uuid null, constraint "financial_report_pkey" primary key ("id"), constraint financial_report_revision_positive check (revision >= 1), constraint financial_report_period_ordered check (period_end > period_start));`);
    this.addSql(`create index "financial_report_project_id_index" on "financial_report" ("project_id");`);
    this.addSql(`create index "financial_report_period_end_index" on "financial_report" ("period_end");`);
    this.addSql(`create index "financial_report_status_index" on "financial_report" ("status");`);
    this.addSql(`create index "financial_report_published_by_id_index" on "financial_report" ("published_by_id");`);
    this.addSql(`alter table "financial_report" add constraint "financial_report_period_revision_unique" unique ("project_id", "period_start", "revision");`);

    this.addSql(`create table "financial_report_line" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "report_id" uuid not null, "category" "spend_category" not null, "planned" numeric(18,2) not null, "actual" numeric(18,2) not null, "estimate_to_complete" numeric(18,2) not null, constraint "financial_report_line_pkey" primary key ("id"), constraint financial_report_line_non_negative check (planned >= 0 and actual >= 0 and estimate_to_complete >= 0));`);
    this.addSql(`create index "financial_report_line_report_id_index" on "financial_report_line" ("report_id");`);
    this.addSql(`alter table "financial_report_line" add constraint "financial_report_line_category_unique" unique ("report_id", "category");`);

    this.addSql(`create table "audit_event" ("id" uuid not null, "actor_id" uuid null, "occurred_at" timestamptz not null, "action" varchar(80) not null, "entity_type" varchar(40) not null, "entity_id" uuid not null, "project_id" uuid null, "changes" jsonb not null, "request_id" varchar(64) not null, constraint "audit_event_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_event_actor_id_index" on "audit_event" ("actor_id");`);
    this.addSql(`create index "audit_event_occurred_at_index" on "audit_event" ("occurred_at");`);
    this.addSql(`create index "audit_event_action_index" on "audit_event" ("action");`);
    this.addSql(`create index "audit_event_entity_id_index" on "audit_event" ("entity_id");`);
    this.addSql(`create index "audit_event_project_id_index" on "audit_event" ("project_id");`);

    this.addSql(`create table "api_token" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "user_id" uuid not null, "name" varchar(100) not null, "secret_hash" varchar(64) not null, "prefix" varchar(16) not null, "last_used_at" timestamptz null, "expires_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_token_pkey" primary key ("id"));`);
    this.addSql(`create index "api_token_user_id_index" on "api_token" ("user_id");`);
    this.addSql(`alter table "api_token" add constraint "api_token_secret_hash_unique" unique ("secret_hash");`);

    this.addSql(`alter table "milestone" add constraint "milestone_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "investment" add constraint "investment_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "investment" add constraint "investment_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "contract" add constraint "contract_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "contract" add constraint "contract_counterparty_id_foreign" foreign key ("counterparty_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "deliverable" add constraint "deliverable_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "deliverable" add constraint "deliverable_contract_id_foreign" foreign key ("contract_id") references "contract" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "deliverable" add constraint "deliverable_milestone_id_foreign" foreign key ("milestone_id") references "milestone" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "app_user" add constraint "app_user_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "risk" add constraint "risk_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "risk" add constraint "risk_contract_id_foreign" foreign key ("contract_id") references "contract" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "risk" add constraint "risk_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "risk_assessment" add constraint "risk_assessment_risk_id_foreign" foreign key ("risk_id") references "risk" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "risk_assessment" add constraint "risk_assessment_assessed_by_id_foreign" foreign key ("assessed_by_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "project_update" add constraint "project_update_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "project_update" add constraint "project_update_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "project_manager" add constraint "project_manager_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "project_manager" add constraint "project_manager_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "financial_report" add constraint "financial_report_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "financial_report" add constraint "financial_report_published_by_id_foreign" foreign key ("published_by_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "financial_report_line" add constraint "financial_report_line_report_id_foreign" foreign key ("report_id") references "financial_report" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "audit_event" add constraint "audit_event_actor_id_foreign" foreign key ("actor_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "api_token" add constraint "api_token_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
  }

}
