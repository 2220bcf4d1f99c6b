import { Migration } from '@mikro-orm/migrations';

/** Webhook endpoints and their delivery log, e-mail preferences and queued e-mails (docs/webhooks.md, README "E-mail"). */

export class Migration20261205191000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "email_mode" as enum ('OFF', 'IMMEDIATELY', 'DAILY_DIGEST', 'WEEKLY_DIGEST');`);
    this.addSql(`create type "email_item_status" as enum ('PENDING', 'SENT', 'SKIPPED');`);
    this.addSql(`create type "webhook_endpoint_status" as enum ('ACTIVE', 'DISABLED');`);
    this.addSql(`create type "webhook_delivery_status" as enum ('PENDING', 'DELIVERED', 'FAILED', 'SKIPPED');`);

    this.addSql(`create table "email_preference" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "user_id" uuid not null, "event_type" varchar(64) not null, "mode" "email_mode" not null, constraint "email_preference_pkey" primary key ("id"));`);
    this.addSql(`alter table "email_preference" add constraint "email_preference_user_type_unique" unique ("user_id", "event_type");`);

    this.addSql(`create table "email_item" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "user_id" uuid not null, "event_id" uuid not null, "mode" "email_mode" not null, "status" "email_item_status" not null default 'PENDING', "sent_at" timestamptz null, constraint "email_item_pkey" primary key ("id"));`);
    this.addSql(`create index "email_item_event_id_index" on "email_item" ("event_id");`);
    this.addSql(`create index "email_item_pending_index" on "email_item" ("mode", "status");`);
    this.addSql(`alter table "email_item" add constraint "email_item_user_event_unique" unique ("user_id", "event_id");`);

    this.addSql(`create table "webhook_endpoint" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "organization_id" uuid not null, "url" varchar(2000) not null, "description" varchar(200) not null default '', "event_types" text[] not null default '{}', "secret" varchar(100) not null, "status" "webhook_endpoint_status" not null default 'ACTIVE', "failure_count" int not null default 0, "disabled_reason" varchar(500) null, "disabled_at" timestamptz null, "created_by_id" uuid not null, "approved_by_id" uuid not null, constraint "webhook_endpoint_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_endpoint_organization_id_index" on "webhook_endpoint" ("organization_id");`);
    this.addSql(`create index "webhook_endpoint_created_by_id_index" on "webhook_endpoint" ("created_by_id");`);
    this.addSql(`create index "webhook_endpoint_approved_by_id_index" on "webhook_endpoint" ("approved_by_id");`);

    this.addSql(`create table "webhook_delivery" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "endpoint_id" uuid not null, "event_id" uuid not null, "webhook_id" varchar(64) not null, "event_type" varchar(64) not null, "status" "webhook_delivery_status" not null default 'PENDING', "attempts" int not null default 0, "last_response_code" int null, "last_error" varchar(500) null, "last_attempt_at" timestamptz null, "delivered_at" timestamptz null, constraint "webhook_delivery_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_delivery_event_id_index" on "webhook_delivery" ("event_id");`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_webhook_id_unique" unique ("webhook_id");`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_event_unique" unique ("endpoint_id", "event_id");`);

    this.addSql(`alter table "email_preference" add constraint "email_preference_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "email_item" add constraint "email_item_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "email_item" add constraint "email_item_event_id_foreign" foreign key ("event_id") references "domain_event" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "webhook_endpoint" add constraint "webhook_endpoint_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "webhook_endpoint" add constraint "webhook_endpoint_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "webhook_endpoint" add constraint "webhook_endpoint_approved_by_id_foreign" foreign key ("approved_by_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoint" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_event_id_foreign" foreign key ("event_id") references "domain_event" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "email_item" drop constraint "email_item_event_id_foreign";`);

    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_event_id_foreign";`);

    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_endpoint_id_foreign";`);

    this.addSql(`drop table if exists "email_preference" cascade;`);

    this.addSql(`drop table if exists "email_item" cascade;`);

    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery" cascade;`);

    this.addSql(`drop type "email_mode";`);
    this.addSql(`drop type "email_item_status";`);
    this.addSql(`drop type "webhook_endpoint_status";`);
    this.addSql(`drop type "webhook_delivery_status";`);
  }

}
