/**
 * Vantage as the bench runs it: the real server (src/server.ts) in its own
 * process, on 127.0.0.1, production settings, counting its SQL statements.
 */
import 'reflect-metadata';
import http from 'node:http';
import path from 'node:path';
import { loopbackOnly, serveIpc, counter } from './child';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/core/logger';
import { initOrm } from '../../src/db/orm';
import { startServer } from '../../src/server';

loopbackOnly(http);

async function main() {
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
  const server = await startServer(orm, config, createLogger(config.logLevel), 0);
  serveIpc(server.httpServer, async () => {
    await server.stop();
    await orm.close();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
