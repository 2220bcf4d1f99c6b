/**
 * Scenario 5: a vendor submits a deliverable (IN_PROGRESS → SUBMITTED) —
 * scoped target, version check, transition, audit event, one transaction.
 *
 * Every request submits a different deliverable of the vendor's own ACTIVE
 * contracts; `reset` puts the pool back to IN_PROGRESS at version 1 (and
 * removes the audit events of those submissions) before every measurement,
 * so each run starts from the same state and never measures the error path.
 */
import { gid } from './db';
import { shuffled, type Case, type Scenario } from './types';

const NOTE = 'Ready for review.';

export const submitDeliverable: Scenario = {
  number: 5,
  key: 'submit-deliverable',
  title: 'A vendor submits a deliverable (mutation, audited)',
  kind: 'write',
  document: `mutation SubmitDeliverable($input: SubmitDeliverableInput!) {
  submitDeliverable(input: $input) {
    deliverable { id status submissionNote version }
    userErrors { field message code }
  }
}`,
  async cases(ctx) {
    const rows = await ctx.db.query<{ id: string; user_id: string }>(
      `select d.id, u.id as user_id
         from deliverable d join contract c on c.id = d.contract_id
         join app_user u on u.organization_id = c.counterparty_id and u.role = 'MEMBER'
        where d.status = 'IN_PROGRESS' and c.status = 'ACTIVE' and u.email like '%@bench.example'
        order by d.id`);
    const users = new Map(ctx.users.vendors.map((u) => [u.id, u]));
    return shuffled(rows.map((r): Case => ({
      user: users.get(r.user_id)!,
      variables: { input: { id: Buffer.from(`Deliverable:${r.id}`).toString('base64url'), version: 1, note: NOTE } },
    })));
  },
  async reset(db, cases) {
    const ids = cases.map((c) => Buffer.from((c.variables.input as { id: string }).id, 'base64url').toString('utf8').split(':')[1]);
    // The submission's domain event (and what was delivered from it) goes with its audit event.
    await db.query(`delete from domain_event where audit_event_id in
      (select id from audit_event where action = 'deliverable.submit' and entity_id = any($1::uuid[]))`, [ids]);
    await db.query(`delete from audit_event where action = 'deliverable.submit' and entity_id = any($1::uuid[])`, [ids]);
    await db.query(
      `update deliverable set status = 'IN_PROGRESS', version = 1, submission_note = null, submitted_at = null where id = any($1::uuid[])`, [ids]);
  },
  /**
   * The same write in one statement: the scoped, version-checked, state-checked UPDATE and the audit
   * INSERT as data-modifying CTEs (atomic). A target the viewer may not act on answers NOT_FOUND.
   */
  async rawJson(db, c) {
    const input = c.variables.input as { id: string; version: number; note: string };
    const id = Buffer.from(input.id, 'base64url').toString('utf8').split(':')[1];
    const [row] = await db.query<{ body: string | null }>(
      `with v as (select u.organization_id as org from app_user u where u.id = $4::uuid and u.role = 'MEMBER'),
        target as (
          select d.id, d.project_id, d.status, d.submission_note, d.version from deliverable d
            join contract c on c.id = d.contract_id join v on c.counterparty_id = v.org
           where d.id = $1::uuid and c.status = 'ACTIVE' and d.status in ('IN_PROGRESS', 'REJECTED') and d.version = $2
           for update of d),
        done as (
          update deliverable d set status = 'SUBMITTED', submission_note = nullif($3, ''), submitted_at = now(), updated_at = now(), version = d.version + 1
            from target t where d.id = t.id
          returning d.id, d.project_id, d.status, d.submission_note, d.version, t.status as old_status, t.submission_note as old_note),
        audit as (
          insert into audit_event (id, actor_id, occurred_at, action, entity_type, entity_id, project_id, changes, request_id)
          select gen_random_uuid(), $4::uuid, now(), 'deliverable.submit', 'Deliverable', done.id, done.project_id,
                 jsonb_build_object('status', jsonb_build_object('before', done.old_status, 'after', done.status),
                                    'submissionNote', jsonb_build_object('before', done.old_note, 'after', done.submission_note)),
                 'raw-sql'
            from done returning 1)
      select json_build_object('data', json_build_object('submitDeliverable', json_build_object(
               'deliverable', json_build_object('id', ${gid('Deliverable', 'done.id')}, 'status', done.status, 'submissionNote', done.submission_note, 'version', done.version),
               'userErrors', '[]'::json)))::text as body
        from done, (select count(*) from audit) a`,
      [id, input.version, input.note, c.user.id]);
    return row?.body ?? JSON.stringify({ errors: [{ message: 'not found', extensions: { code: 'NOT_FOUND' } }] });
  },
  async state(db, c) {
    const id = Buffer.from((c.variables.input as { id: string }).id, 'base64url').toString('utf8').split(':')[1];
    const [row] = await db.query(
      `select d.status::text as status, d.submission_note, d.version, d.submitted_at is not null as submitted,
              (select count(*)::int from audit_event a where a.entity_id = d.id and a.action = 'deliverable.submit') as audits
         from deliverable d where d.id = $1::uuid`, [id]);
    return row;
  },
};
