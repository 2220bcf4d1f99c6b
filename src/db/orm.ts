/**
 * The one ORM configuration, shared by the server, the scripts and the tests.
 * Migrations are listed explicitly (migrations/index.ts) so the same list runs
 * under every loader, and they are the only way the schema changes.
 */
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import path from 'node:path';
import { Logger as WorkerLogger, runMigrations } from 'graphile-worker';
import { migrationsList } from '../../migrations';
import { checkDeadline } from '../core/request-meta';
import { entities } from '../model/entities';
import { ReadYourWrites, replicaRouter, RoutingPostgreSqlDriver, type ReplicaOptions } from './replicas';

export interface OrmOptions {
  url: string;
  debug?: boolean;
  poolMax?: number;
  /** Read replicas for query operations (src/db/replicas.ts). */
  replicas?: ReplicaOptions;
  /** Where the ORM's own log lines go when `debug` is on (the console by default). */
  log?: (message: string) => void;
}

export function ormConfig({ url, debug = false, poolMax = 10, replicas, log }: OrmOptions): Options {
  const replicaUrls = replicas?.urls ?? [];
  return {
    clientUrl: url,
    ...(replicaUrls.length ? {
      driver: RoutingPostgreSqlDriver,
      // Each replica gets a pool of the primary's size; a replica that cannot be reached fails fast, and its reads go to the primary.
      replicas: replicaUrls.map((clientUrl, i) => ({
        name: `replica-${i + 1}`,
        clientUrl,
        pool: { min: 0, max: poolMax, idleTimeoutMillis: 10_000 },
        driverOptions: { connection: { statement_timeout: 15_000, connectionTimeoutMillis: 3_000 } },
      })),
      subscribers: [new ReadYourWrites()],
    } : {}),
    entities,
    extensions: [Migrator],
    // Never 'query-params': with it, the ORM logs each statement (failed ones at level error) with its
    // values inlined — password and token hashes among them. Without it statements are logged as `$1`.
    debug: debug ? ['query', 'info', 'discovery'] : false,
    ...(log ? { logger: log, colors: false } : {}),
    // Scoping never relies on ORM filters (docs/pitfalls.md): every read goes through the policy modules.
    filters: {},
    forceUtcTimezone: true,
    // No lazy loading on a request's path: every relation is read through scoped loaders.
    populateWhere: 'infer',
    pool: { min: 0, max: poolMax, idleTimeoutMillis: 10_000 },
    driverOptions: { connection: { statement_timeout: 15_000 } },
    // A request past its deadline issues no further statement (its answer, 503, is already sent).
    onQuery: (sql: string) => {
      checkDeadline();
      return sql;
    },
    migrations: {
      path: path.resolve(__dirname, '../../migrations'),
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      emit: 'ts',
      snapshot: false,
      silent: true,
      migrationsList,
    },
    // graphile-worker owns its schema (migrated by `migrate()` below): not the entities' to compare or drop.
    schemaGenerator: { ignoreSchema: ['graphile_worker'] },
    allowGlobalContext: false,
  };
}

export async function initOrm(options: OrmOptions): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(options));
  if (options.replicas?.urls.length) replicaRouter(orm)?.start(options.replicas);
  return orm;
}

/** The application's migrations, then graphile-worker's own schema (`graphile_worker`, docs/notifications.md). */
export async function migrate(orm: MikroORM): Promise<void> {
  await orm.getMigrator().up();
  await runMigrations({ connectionString: String(orm.config.get('clientUrl')), logger: quietWorkerLogger });
}

/** graphile-worker's migration logs nothing below a warning. */
const quietWorkerLogger = new WorkerLogger(() => (level, message) => {
  if (level === 'error' || level === 'warning') console.warn(`graphile-worker: ${message}`);
});
