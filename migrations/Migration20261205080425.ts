import { Migration } from '@mikro-orm/migrations';

/**
 * API token scopes, and the token that created each token (so revoking a
 * token revokes what it minted). Existing tokens keep the full scope they had.
 */
export class Migration20261205080425 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "api_token_scope" as enum ('READ', 'WRITE', 'ADMIN');`);
    this.addSql(`alter table "api_token" add column "scope" "api_token_scope" not null default 'ADMIN', add column "created_by_token_id" uuid null;`);
    this.addSql(`alter table "api_token" add constraint "api_token_created_by_token_id_foreign" foreign key ("created_by_token_id") references "api_token" ("id") on update cascade on delete set null;`);
    this.addSql(`create index "api_token_created_by_token_id_index" on "api_token" ("created_by_token_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_token" drop constraint "api_token_created_by_token_id_foreign";`);

    this.addSql(`drop index "api_token_created_by_token_id_index";`);
    this.addSql(`alter table "api_token" drop column "scope", drop column "created_by_token_id";`);

    this.addSql(`drop type "api_token_scope";`);
  }

}
