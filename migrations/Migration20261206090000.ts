import { Migration } from '@mikro-orm/migrations';

/**
 * API tokens: whether a token may send any GraphQL document where trusted
 * documents are on (production), or only the portal's own operations.
 *
 * Every token that exists was created when any token could send any
 * document, and integrations run with them: they keep that permission (the
 * column is added with default true, which fills the existing rows without
 * an UPDATE). New tokens get it only when asked for (default false).
 *
 * The viewer cache keeps a token's viewer, which now carries this value: the
 * trigger that announces a changed token to the caches watches the column
 * too, so a permission taken away by hand in the database drops the cached
 * viewer at once.
 */
export class Migration20261206090000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "api_token" add column "allows_any_document" boolean not null default true;`);
    this.addSql(`alter table "api_token" alter column "allows_any_document" set default false;`);

    this.addSql(`drop trigger if exists viewer_api_token_changed on api_token;`);
    this.addSql(`create trigger viewer_api_token_changed after update on api_token for each row
  when (old.revoked_at is distinct from new.revoked_at or old.expires_at is distinct from new.expires_at or old.scope is distinct from new.scope
    or old.user_id is distinct from new.user_id or old.allows_any_document is distinct from new.allows_any_document)
  execute function viewer_api_token_changed();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists viewer_api_token_changed on api_token;`);
    this.addSql(`create trigger viewer_api_token_changed after update on api_token for each row
  when (old.revoked_at is distinct from new.revoked_at or old.expires_at is distinct from new.expires_at or old.scope is distinct from new.scope or old.user_id is distinct from new.user_id)
  execute function viewer_api_token_changed();`);

    this.addSql(`alter table "api_token" drop column "allows_any_document";`);
  }

}
