import { Migration } from '@mikro-orm/migrations';

/**
 * A published report is immutable (DESIGN.md section 2), in the database as
 * well as in the application: whatever writes to it — the API, a script, a
 * console session — can neither change nor delete a PUBLISHED or SUPERSEDED
 * report or its lines. The one change allowed after publication is the
 * status PUBLISHED → SUPERSEDED (a restatement was published), with version
 * and updated_at. A report and its lines are written as a DRAFT, and
 * publishing changes the status only; data loaders that insert history do
 * the same (insert as DRAFT with lines, then set the status).
 */
export class Migration20261125235500 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`
      create function financial_report_guard() returns trigger language plpgsql as $$
      begin
        if old.status = 'DRAFT' then
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
        -- FOR SHARE: the report cannot be published while this line is being written.
        select id, status into frozen from "financial_report" where id = any(report_ids) and status <> 'DRAFT' limit 1 for share;
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
  }

}
