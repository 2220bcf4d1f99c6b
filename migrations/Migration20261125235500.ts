import { Migration } from '@mikro-orm/migrations';

/**
 * A published report is immutable (docs/dates.md), in the database as
 * well as in the application: whatever writes to it — the API, a script, a
 * console session — can neither change nor delete a PUBLISHED or SUPERSEDED
 * report or its lines once the transaction that published it has committed.
 * The one change allowed afterwards is the status PUBLISHED → SUPERSEDED
 * (a restatement was published), with version and updated_at.
 *
 * "Once committed": a loader that inserts history (a report already
 * published, then its lines) does so in one transaction. A row version whose
 * creating transaction is still in progress and yet visible can only be this
 * transaction's own (MVCC hides other transactions' uncommitted rows), so
 * `written_by_this_transaction(xmin)` tells the two apart without any state.
 */
export class Migration20261125235500 extends Migration {

  override async up(): Promise<void> {
    // xmin is the 32-bit id of the transaction (or subtransaction) that wrote the row version; it is
    // widened to the current epoch (a visible row of this transaction is never from an earlier one).
    this.addSql(`
      create function written_by_this_transaction(row_xmin xid) returns boolean language plpgsql volatile as $$
      declare
        current bigint := pg_current_xact_id()::text::bigint;
        low bigint := row_xmin::text::bigint;
        full_id bigint := ((current >> 32) << 32) + low;
      begin
        if low > (current & 4294967295) then full_id := full_id - 4294967296; end if;
        if full_id < 3 then return false; end if;
        return pg_xact_status(full_id::text::xid8) is not distinct from 'in progress';
      end $$;`);
    this.addSql(`
      create function financial_report_guard() returns trigger language plpgsql as $$
      begin
        if old.status = 'DRAFT' or exists (select 1 from "financial_report" r where r.id = old.id and written_by_this_transaction(r.xmin)) then
          return case when tg_op = 'DELETE' then old else new end;
        end if;
        if tg_op = 'UPDATE'
           and (new.status = old.status or (old.status = 'PUBLISHED' and new.status = 'SUPERSEDED'))
           and (new.id, new.created_at, new.project_id, new.period_start, new.period_end, new.revision, new.summary, new.published_at, new.published_by_id)
               is not distinct from
               (old.id, old.created_at, old.project_id, old.period_start, old.period_end, old.revision, old.summary, old.published_at, old.published_by_id) then
          return new;
        end if;
        raise exception 'financial report % is %: a published report is immutable; publish a restatement instead', old.id, old.status
          using errcode = 'integrity_constraint_violation';
      end $$;`);
    this.addSql(`create trigger financial_report_immutable before update or delete on "financial_report" for each row execute function financial_report_guard();`);
    this.addSql(`
      create function financial_report_line_guard() returns trigger language plpgsql as $$
      declare
        report_ids uuid[] := case tg_op when 'INSERT' then array[new.report_id] when 'DELETE' then array[old.report_id] else array[old.report_id, new.report_id] end;
        frozen record;
      begin
        -- FOR SHARE on the report whatever its status: it cannot be published while this line is being written,
        -- and a publication in flight is waited for, then seen.
        perform 1 from "financial_report" where id = any(report_ids) for share;
        select id, status into frozen from "financial_report"
          where id = any(report_ids) and status <> 'DRAFT' and not written_by_this_transaction(xmin) limit 1;
        if found then
          raise exception 'financial report % is %: the lines of a published report are immutable; publish a restatement instead', frozen.id, frozen.status
            using errcode = 'integrity_constraint_violation';
        end if;
        return case when tg_op = 'DELETE' then old else new end;
      end $$;`);
    this.addSql(`create trigger financial_report_line_immutable before insert or update or delete on "financial_report_line" for each row execute function financial_report_line_guard();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists financial_report_line_immutable on "financial_report_line";`);
    this.addSql(`drop function if exists financial_report_line_guard();`);
    this.addSql(`drop trigger if exists financial_report_immutable on "financial_report";`);
    this.addSql(`drop function if exists financial_report_guard();`);
    this.addSql(`drop function if exists written_by_this_transaction(xid);`);
  }

}
