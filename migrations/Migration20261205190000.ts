import { Migration } from '@mikro-orm/migrations';

/**
 * The outbox of domain events, the in-app inbox, and sign-in visits
 * (docs/notifications.md). graphile-worker's own schema is migrated by
 * graphile-worker itself (src/db/orm.ts `migrate()`).
 */
export class Migration20261205190000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "domain_event" ("id" uuid not null, "type" varchar(60) not null, "subject_type" varchar(40) not null, "subject_id" uuid not null, "project_id" uuid null, "audit_event_id" uuid not null, "occurred_at" timestamptz not null, "data" jsonb not null, constraint "domain_event_pkey" primary key ("id"));`);
    this.addSql(`create index "domain_event_type_index" on "domain_event" ("type");`);
    this.addSql(`create index "domain_event_project_id_index" on "domain_event" ("project_id");`);
    this.addSql(`create index "domain_event_audit_event_id_index" on "domain_event" ("audit_event_id");`);
    this.addSql(`create index "domain_event_occurred_at_index" on "domain_event" ("occurred_at");`);
    this.addSql(`create index "domain_event_subject_index" on "domain_event" ("subject_type", "subject_id");`);

    this.addSql(`create table "notification" ("id" uuid not null, "user_id" uuid not null, "event_id" uuid not null, "type" varchar(60) not null, "subject_type" varchar(40) not null, "subject_id" uuid not null, "project_id" uuid null, "title" varchar(400) not null, "occurred_at" timestamptz not null, "created_at" timestamptz not null, "read_at" timestamptz null, constraint "notification_pkey" primary key ("id"));`);
    this.addSql(`create index "notification_event_id_index" on "notification" ("event_id");`);
    this.addSql(`create index "notification_project_id_index" on "notification" ("project_id");`);
    this.addSql(`create index "notification_user_created_index" on "notification" ("user_id", "created_at");`);
    this.addSql(`alter table "notification" add constraint "notification_user_event_unique" unique ("user_id", "event_id");`);

    this.addSql(`create table "user_visit" ("id" uuid not null, "user_id" uuid not null, "last_visit_at" timestamptz not null, "previous_visit_at" timestamptz null, constraint "user_visit_pkey" primary key ("id"));`);
    this.addSql(`alter table "user_visit" add constraint "user_visit_user_unique" unique ("user_id");`);

    this.addSql(`alter table "domain_event" add constraint "domain_event_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "domain_event" add constraint "domain_event_audit_event_id_foreign" foreign key ("audit_event_id") references "audit_event" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "notification" add constraint "notification_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "notification" add constraint "notification_event_id_foreign" foreign key ("event_id") references "domain_event" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "notification" add constraint "notification_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "user_visit" add constraint "user_visit_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "notification" drop constraint "notification_event_id_foreign";`);

    this.addSql(`drop table if exists "domain_event" cascade;`);

    this.addSql(`drop table if exists "notification" cascade;`);

    this.addSql(`drop table if exists "user_visit" cascade;`);
  }

}
