import { Migration } from '@mikro-orm/migrations';

/**
 * The viewer version (src/model/viewer-version.entity.ts): triggers that
 * increment the version of every user whose viewer a change alters, in the
 * transaction of the change, and announce it on the `vantage_viewer` channel
 * (`<user id>:<version>`; `*` after a TRUNCATE: drop everything). PostgreSQL
 * delivers the notifications only when the transaction commits, and not at
 * all when it rolls back.
 *
 * What a viewer is built from (src/access/viewer.ts) and what bumps it:
 * - the user's disabled_at, role, organization → that user; a manager moving
 *   organization also changes the contacts of their projects' audience;
 * - the organization's kind → its users;
 * - project_manager rows → the manager, and the investors' and partners'
 *   users of the project (their contacts);
 * - investments → the users of the investing organization;
 * - non-draft contracts (status, counterparty, project) → the users of the
 *   counterparty;
 * - API tokens (revoked_at, expires_at, scope, owner; deleted) → the owner.
 *
 * Ids are sorted before the rows are locked, so two transactions bumping
 * overlapping sets in one statement wait for each other instead of deadlocking.
 */
export class Migration20261205120000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "viewer_version" ("user_id" uuid not null, "version" bigint not null default 0, constraint "viewer_version_pkey" primary key ("user_id"));`);

    this.addSql(`create function viewer_bump(ids uuid[]) returns void language plpgsql as $$
declare r record;
begin
  for r in
    insert into viewer_version as v (user_id, version)
    select distinct u.id, 1 from unnest(ids) as u(id) where u.id is not null order by u.id
    on conflict (user_id) do update set version = v.version + 1
    returning v.user_id, v.version
  loop
    perform pg_notify('vantage_viewer', r.user_id::text || ':' || r.version::text);
  end loop;
end $$;`);

    this.addSql(`create function viewer_organization_users(orgs uuid[]) returns uuid[] language sql stable as $$
  select array(select id from app_user where organization_id = any(orgs));
$$;`);

    // Non-operators who see the project: its investors' and its non-draft contracts' counterparties' users.
    this.addSql(`create function viewer_project_audience(p uuid) returns uuid[] language sql stable as $$
  select viewer_organization_users(array(
    select organization_id from investment where project_id = p
    union select counterparty_id from contract where project_id = p and status <> 'DRAFT'));
$$;`);

    this.addSql(`create function viewer_user_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    perform viewer_bump(array[old.id]);
    return null;
  end if;
  perform viewer_bump(array[new.id]);
  if old.organization_id is distinct from new.organization_id then
    perform viewer_bump(array(select a from project_manager pm, unnest(viewer_project_audience(pm.project_id)) a where pm.user_id = new.id));
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger viewer_user_changed after update on app_user for each row
  when (old.disabled_at is distinct from new.disabled_at or old.role is distinct from new.role or old.organization_id is distinct from new.organization_id)
  execute function viewer_user_changed();`);
    this.addSql(`create trigger viewer_user_deleted after delete on app_user for each row execute function viewer_user_changed();`);

    this.addSql(`create function viewer_organization_changed() returns trigger language plpgsql as $$
begin
  perform viewer_bump(viewer_organization_users(array[new.id]));
  return null;
end $$;`);
    this.addSql(`create trigger viewer_organization_changed after update on organization for each row
  when (old.kind is distinct from new.kind) execute function viewer_organization_changed();`);

    this.addSql(`create function viewer_manager_changed() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform viewer_bump(array[old.user_id] || viewer_project_audience(old.project_id));
  end if;
  if tg_op in ('UPDATE', 'INSERT') then
    perform viewer_bump(array[new.user_id] || viewer_project_audience(new.project_id));
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger viewer_manager_changed after insert or update or delete on project_manager for each row execute function viewer_manager_changed();`);

    this.addSql(`create function viewer_investment_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and old.project_id = new.project_id and old.organization_id = new.organization_id then
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    perform viewer_bump(viewer_organization_users(array[old.organization_id]));
  end if;
  if tg_op in ('UPDATE', 'INSERT') then
    perform viewer_bump(viewer_organization_users(array[new.organization_id]));
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger viewer_investment_changed after insert or update or delete on investment for each row execute function viewer_investment_changed();`);

    this.addSql(`create function viewer_contract_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and old.status = new.status and old.counterparty_id = new.counterparty_id and old.project_id = new.project_id then
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') and old.status <> 'DRAFT' then
    perform viewer_bump(viewer_organization_users(array[old.counterparty_id]));
  end if;
  if tg_op in ('UPDATE', 'INSERT') and new.status <> 'DRAFT' then
    perform viewer_bump(viewer_organization_users(array[new.counterparty_id]));
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger viewer_contract_changed after insert or update or delete on contract for each row execute function viewer_contract_changed();`);

    this.addSql(`create function viewer_api_token_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    perform viewer_bump(array[old.user_id]);
  else
    perform viewer_bump(array[old.user_id, new.user_id]);
  end if;
  return null;
end $$;`);
    // Not on last_used_at: touching it (once a minute per token) changes no viewer.
    this.addSql(`create trigger viewer_api_token_changed after update on api_token for each row
  when (old.revoked_at is distinct from new.revoked_at or old.expires_at is distinct from new.expires_at or old.scope is distinct from new.scope or old.user_id is distinct from new.user_id)
  execute function viewer_api_token_changed();`);
    this.addSql(`create trigger viewer_api_token_deleted after delete on api_token for each row execute function viewer_api_token_changed();`);

    // TRUNCATE fires no row trigger: every cache drops everything.
    this.addSql(`create function viewer_truncated() returns trigger language plpgsql as $$
begin
  perform pg_notify('vantage_viewer', '*');
  return null;
end $$;`);
    for (const table of ['app_user', 'organization', 'project_manager', 'investment', 'contract', 'api_token', 'viewer_version']) {
      this.addSql(`create trigger viewer_truncated after truncate on "${table}" for each statement execute function viewer_truncated();`);
    }
  }

  override async down(): Promise<void> {
    for (const table of ['app_user', 'organization', 'project_manager', 'investment', 'contract', 'api_token', 'viewer_version']) {
      this.addSql(`drop trigger if exists viewer_truncated on "${table}";`);
    }
    this.addSql(`drop trigger if exists viewer_user_changed on app_user;`);
    this.addSql(`drop trigger if exists viewer_user_deleted on app_user;`);
    this.addSql(`drop trigger if exists viewer_organization_changed on organization;`);
    this.addSql(`drop trigger if exists viewer_manager_changed on project_manager;`);
    this.addSql(`drop trigger if exists viewer_investment_changed on investment;`);
    this.addSql(`drop trigger if exists viewer_contract_changed on contract;`);
    this.addSql(`drop trigger if exists viewer_api_token_changed on api_token;`);
    this.addSql(`drop trigger if exists viewer_api_token_deleted on api_token;`);
    for (const fn of ['viewer_truncated()', 'viewer_api_token_changed()', 'viewer_contract_changed()', 'viewer_investment_changed()', 'viewer_manager_changed()',
      'viewer_organization_changed()', 'viewer_user_changed()', 'viewer_project_audience(uuid)', 'viewer_organization_users(uuid[])', 'viewer_bump(uuid[])']) {
      this.addSql(`drop function if exists ${fn};`);
    }
    this.addSql(`drop table if exists "viewer_version" cascade;`);
  }

}
