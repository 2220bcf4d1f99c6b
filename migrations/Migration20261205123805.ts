import { Migration } from '@mikro-orm/migrations';

/**
 * Rebuilds the review rounds of deliverables written before rounds were kept,
 * first from the audit trail (each deliverable.submit is a round; each
 * deliverable.accept or .reject decides the round of the latest submit before
 * it), then from the deliverable's own fields where the trail has nothing (a
 * submitted or decided deliverable becomes one round, its submitter and
 * reviewer unknown). An event records only the fields that changed, so a note
 * or reason is the latest one recorded up to that event. Re-running it adds
 * nothing that is already there.
 */
export const BACKFILL_DELIVERABLE_ROUNDS: string[] = [
  `insert into deliverable_submission (id, created_at, updated_at, deliverable_id, round, note, submitted_by_id, submitted_at)
   select gen_random_uuid(), e.at, e.at, e.entity_id, e.round,
     (select p.changes->'submissionNote'->>'after' from audit_event p
       where p.entity_type = 'Deliverable' and p.entity_id = e.entity_id and p.action = 'deliverable.submit'
         and (p.occurred_at, p.id) <= (e.occurred_at, e.id) and p.changes ? 'submissionNote'
       order by p.occurred_at desc, p.id desc limit 1),
     e.actor_id, e.at
   from (select a.*, coalesce((a.changes->'submittedAt'->>'after')::timestamptz, a.occurred_at) as at,
           row_number() over (partition by a.entity_id order by a.occurred_at, a.id)::int as round
         from audit_event a join deliverable d on d.id = a.entity_id
         where a.entity_type = 'Deliverable' and a.action = 'deliverable.submit') e
   on conflict (deliverable_id, round) do nothing`,
  `insert into deliverable_review (id, created_at, updated_at, deliverable_id, round, decision, comment, reviewed_by_id, reviewed_at)
   select gen_random_uuid(), e.at, e.at, e.entity_id, e.round,
     (case when e.action = 'deliverable.accept' then 'ACCEPTED' else 'REJECTED' end)::deliverable_decision,
     case when e.action = 'deliverable.accept' then e.changes->'comment'->>'after'
       else coalesce((select p.changes->'rejectionReason'->>'after' from audit_event p
         where p.entity_type = 'Deliverable' and p.entity_id = e.entity_id and p.action = 'deliverable.reject'
           and (p.occurred_at, p.id) <= (e.occurred_at, e.id) and p.changes->'rejectionReason'->>'after' is not null
         order by p.occurred_at desc, p.id desc limit 1), 'No reason recorded.') end,
     e.actor_id, e.at
   from (select a.*, coalesce((a.changes->'decidedAt'->>'after')::timestamptz, a.occurred_at) as at,
           (select count(*) from audit_event s
             where s.entity_type = 'Deliverable' and s.entity_id = a.entity_id and s.action = 'deliverable.submit'
               and (s.occurred_at, s.id) < (a.occurred_at, a.id))::int as round
         from audit_event a join deliverable d on d.id = a.entity_id
         where a.entity_type = 'Deliverable' and a.action in ('deliverable.accept', 'deliverable.reject')) e
   where e.round >= 1
   on conflict (deliverable_id, round) do nothing`,
  `insert into deliverable_submission (id, created_at, updated_at, deliverable_id, round, note, submitted_by_id, submitted_at)
   select gen_random_uuid(), now(), now(), d.id, 1, d.submission_note, null, coalesce(d.submitted_at, d.decided_at, d.created_at)
   from deliverable d
   where d.status in ('SUBMITTED', 'ACCEPTED', 'REJECTED')
     and not exists (select 1 from deliverable_submission s where s.deliverable_id = d.id)`,
  `update deliverable d set round = s.round
   from (select deliverable_id, max(round) as round from deliverable_submission group by deliverable_id) s
   where s.deliverable_id = d.id and d.round <> s.round`,
  `insert into deliverable_review (id, created_at, updated_at, deliverable_id, round, decision, comment, reviewed_by_id, reviewed_at)
   select gen_random_uuid(), now(), now(), d.id, d.round, d.status::text::deliverable_decision,
     case when d.status = 'REJECTED' then coalesce(d.rejection_reason, 'No reason recorded.') end,
     null, coalesce(d.decided_at, d.submitted_at, d.created_at)
   from deliverable d
   where d.status in ('ACCEPTED', 'REJECTED') and d.round >= 1
     and not exists (select 1 from deliverable_review r where r.deliverable_id = d.id and r.round = d.round)`,
];

export class Migration20261205123805 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "deliverable_decision" as enum ('ACCEPTED', 'REJECTED');`);
    this.addSql(`create table "deliverable_submission" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "deliverable_id" uuid not null, "round" int not null, "note" text null, "submitted_by_id" uuid null, "submitted_at" timestamptz not null, constraint "deliverable_submission_pkey" primary key ("id"), constraint deliverable_submission_round_positive check (round >= 1));`);
    this.addSql(`create index "deliverable_submission_deliverable_id_index" on "deliverable_submission" ("deliverable_id");`);
    this.addSql(`create index "deliverable_submission_submitted_by_id_index" on "deliverable_submission" ("submitted_by_id");`);
    this.addSql(`create index "deliverable_submission_submitted_at_index" on "deliverable_submission" ("submitted_at");`);
    this.addSql(`alter table "deliverable_submission" add constraint "deliverable_submission_round_unique" unique ("deliverable_id", "round");`);

    this.addSql(`create table "deliverable_review" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "deliverable_id" uuid not null, "round" int not null, "decision" "deliverable_decision" not null, "comment" text null, "reviewed_by_id" uuid null, "reviewed_at" timestamptz not null, constraint "deliverable_review_pkey" primary key ("id"), constraint deliverable_review_rejection_has_reason check (decision = 'ACCEPTED' or comment is not null), constraint deliverable_review_round_positive check (round >= 1));`);
    this.addSql(`create index "deliverable_review_deliverable_id_index" on "deliverable_review" ("deliverable_id");`);
    this.addSql(`create index "deliverable_review_reviewed_by_id_index" on "deliverable_review" ("reviewed_by_id");`);
    this.addSql(`create index "deliverable_review_reviewed_at_index" on "deliverable_review" ("reviewed_at");`);
    this.addSql(`alter table "deliverable_review" add constraint "deliverable_review_round_unique" unique ("deliverable_id", "round");`);

    this.addSql(`alter table "deliverable_submission" add constraint "deliverable_submission_deliverable_id_foreign" foreign key ("deliverable_id") references "deliverable" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "deliverable_submission" add constraint "deliverable_submission_submitted_by_id_foreign" foreign key ("submitted_by_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "deliverable_review" add constraint "deliverable_review_deliverable_id_foreign" foreign key ("deliverable_id") references "deliverable" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "deliverable_review" add constraint "deliverable_review_reviewed_by_id_foreign" foreign key ("reviewed_by_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "deliverable" add column "round" int not null default 0;`);

    for (const statement of BACKFILL_DELIVERABLE_ROUNDS) this.addSql(statement);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "deliverable_submission" cascade;`);

    this.addSql(`drop table if exists "deliverable_review" cascade;`);

    this.addSql(`alter table "deliverable" drop column "round";`);

    this.addSql(`drop type "deliverable_decision";`);
  }

}
