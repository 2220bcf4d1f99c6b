/**
 * The little the scenarios need from a database connection, so the same
 * generator and raw-SQL references run through `pg` in the bench and through
 * the test app's MikroORM connection in `npm test` (which must not need the
 * bench's own node_modules).
 */
export interface Db {
  /** `text` uses PostgreSQL placeholders ($1, $2, …). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

/** SQL for Vantage's opaque global id, base64url("Type:uuid") without padding (src/core/global-id.ts). */
export function gid(type: string, column: string): string {
  return `translate(rtrim(replace(encode(convert_to('${type}:' || ${column}::text, 'UTF8'), 'base64'), E'\\n', ''), '='), '+/', '-_')`;
}

/** The same id computed in JavaScript, for the flat (per-level) raw-SQL variants. */
export function toGid(type: string, uuid: string): string {
  return Buffer.from(`${type}:${uuid}`, 'utf8').toString('base64url');
}

/** Vantage's cursor: base64url(JSON [sortValue, id]) (src/core/pagination.ts). */
export function cursorOf(sort: string | number | null, id: string): string {
  return Buffer.from(JSON.stringify([sort, id]), 'utf8').toString('base64url');
}

/** `today` as the server sees it (UTC calendar day). */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
