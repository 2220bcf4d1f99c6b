import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A counter per user that every change to what the user's viewer is built
 * from increments, in the transaction of the change: the user (disabled,
 * role, organization), their organization's kind, a project they manage or
 * whose managers they see, an investment or a non-draft contract of their
 * organization, one of their API tokens (revoked, expiry, scope). Database
 * triggers do it (migration Migration20261205120000), so no write path can
 * forget it, and each increment is announced on the `vantage_viewer`
 * channel (NOTIFY `<user id>:<version>`) to every instance's viewer cache
 * (src/access/viewer-cache.ts). No foreign key: a deleted user is announced
 * too. Written only by those triggers; not a GraphQL type.
 */
@Entity({ tableName: 'viewer_version' })
export class ViewerVersion {
  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'bigint', default: 0 })
  version!: string;
}
