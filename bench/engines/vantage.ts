/**
 * Vantage as the bench runs it: the real server (src/http/server.ts) in its own
 * process, on 127.0.0.1, production settings, counting its SQL statements at
 * the pg driver.
 *
 * BENCH_LEVERS (comma-separated) turns on experiments that the report
 * measures against the shipped configuration, without changing the product:
 * - per-field-wrappers: the configuration before the performance work, for
 *   the report's before/after figures: an async pass-through type-graphql
 *   global middleware on every field (the access check used to be one) and
 *   an Apollo plugin with a per-field deadline check (willResolveField, which
 *   makes Apollo wrap every resolver). Apollo's cache-control plugin, also
 *   enabled before, cannot be put back beside the shipped "disabled" plugin,
 *   so this variant is slightly faster than the old server was.
 */
import 'reflect-metadata';
import http from 'node:http';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import type { MiddlewareFn } from 'type-graphql';
import { loopbackOnly, serveIpc, counter } from './child';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/core/logger';
import { checkDeadline } from '../../src/core/request-meta';
import { initOrm } from '../../src/db/orm';
import { startServer } from '../../src/http/server';

loopbackOnly(http);
const levers = new Set((process.env.BENCH_LEVERS ?? '').split(',').filter(Boolean));

/** Experiment: every field of every object goes through an async middleware chain again. */
function globalMiddleware(): void {
  const passThrough: MiddlewareFn = async (_data, next) => next();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(path.dirname(require.resolve('type-graphql')), 'utils/buildSchema.js'));
  const original = mod.buildSchema;
  mod.buildSchema = (options: { globalMiddlewares?: unknown[] }) => original({ ...options, globalMiddlewares: [passThrough, ...(options.globalMiddlewares ?? [])] });
}

/** Experiment: the deadline checked in Apollo's per-field hook, as before. */
const perFieldDeadline: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async executionDidStart() {
        return { willResolveField: () => checkDeadline() };
      },
    };
  },
};

async function main() {
  const before = levers.has('per-field-wrappers');
  if (before) globalMiddleware();
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
  const plugins = before ? [perFieldDeadline] : [];
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
