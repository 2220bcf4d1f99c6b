/**
 * Vantage as the bench runs it: the real server (src/server.ts) in its own
 * process, on 127.0.0.1, production settings, counting its SQL statements at
 * the pg driver.
 *
 * BENCH_LEVERS (comma-separated) turns on experiments that the report
 * measures against the shipped configuration, without changing the product:
 * - no-cache-control: Apollo's cache-control plugin disabled (an extra
 *   plugin through startServer's options);
 * - root-access: the fail-closed access middleware applied to root fields only
 *   (the same RootAccess check, wrapped around Query/Mutation resolvers after
 *   the schema is built) instead of type-graphql's global middleware, which
 *   turns every field of every object into an async call;
 * - no-field-hooks: Apollo's per-field plugin hook (willResolveField) never
 *   installed — it wraps every resolver as soon as one plugin defines the hook
 *   (the request-deadline check of the limits plugin does, and so does the
 *   cache-control plugin); without it the deadline is no longer checked per field.
 */
import 'reflect-metadata';
import http from 'node:http';
import path from 'node:path';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { loopbackOnly, serveIpc, counter } from './child';
import { loadConfig } from '../../src/config';
import { RootAccess } from '../../src/core/access';
import { createLogger } from '../../src/core/logger';
import { initOrm } from '../../src/db/orm';
import { startServer } from '../../src/server';

loopbackOnly(http);
const levers = new Set((process.env.BENCH_LEVERS ?? '').split(',').filter(Boolean));

/** Experiment: build the schema without global middlewares and check access on root fields only. */
function rootOnlyAccess(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(path.dirname(require.resolve('type-graphql')), 'utils/buildSchema.js'));
  const original = mod.buildSchema;
  mod.buildSchema = async (options: { globalMiddlewares?: unknown[] }) => {
    const schema: GraphQLSchema = await original({ ...options, globalMiddlewares: (options.globalMiddlewares ?? []).filter((m) => m !== RootAccess) });
    for (const root of [schema.getQueryType(), schema.getMutationType()]) {
      for (const field of Object.values(root?.getFields() ?? {})) {
        const resolve = field.resolve!;
        field.resolve = (source, args, context, info) => RootAccess({ root: source, args, context, info } as never, async () => resolve(source, args, context, info));
      }
    }
    return schema;
  };
}

/** Experiment: Apollo never wraps the schema's resolvers for willResolveField. */
function noFieldHooks(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(path.dirname(require.resolve('@apollo/server')), 'utils/schemaInstrumentation.js'));
  mod.enablePluginsForSchemaResolvers = () => undefined;
}

async function main() {
  if (levers.has('root-access')) rootOnlyAccess();
  if (levers.has('no-field-hooks')) noFieldHooks();
  const config = loadConfig(process.env);
  // Counted at the driver, not through knex's query event: some statements (the rate limiter's) go straight to pooled pg connections.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require(require.resolve('pg', { paths: [path.dirname(require.resolve('knex'))] }));
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function countedQuery(this: unknown, ...args: unknown[]) {
    counter.statements += 1;
    return query.apply(this, args);
  };
  const orm = await initOrm({ url: config.databaseUrl!, poolMax: 10 });
  const plugins = levers.has('no-cache-control') ? [ApolloServerPluginCacheControlDisabled()] : [];
  const server = await startServer(orm, config, createLogger(config.logLevel), 0, { plugins });
  serveIpc(server.httpServer, async () => {
    await server.stop();
    await orm.close();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
