/**
 * The PostGraphile v5 peer (amber preset) on the same database, as a
 * superuser operator (no row scoping), on 127.0.0.1.
 *
 * PostGraphile 5 needs Node 22 for Promise.withResolvers; on Node 20 the
 * polyfill below provides it (the only Node 22 API its packages use).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
if (!(Promise as any).withResolvers) {
  (Promise as any).withResolvers = function withResolvers<T>() {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

import http from 'node:http';
import { countingClient, serveIpc } from './child';

async function main() {
  const { Client, Pool } = require('pg');
  const { postgraphile } = require('postgraphile');
  const { PostGraphileAmberPreset } = require('postgraphile/presets/amber');
  const { makePgService } = require('postgraphile/adaptors/pg');
  const { grafserv } = require('postgraphile/grafserv/node');

  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, Client: countingClient(Client) });
  pool.on('error', () => undefined);
  const preset = {
    extends: [PostGraphileAmberPreset],
    pgServices: [makePgService({ pool, schemas: ['public'] })],
    grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
    grafast: { explain: false },
  };
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const server = http.createServer();
  serv.addTo(server);
  await pgl.getSchema();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serveIpc(server, async () => {
    await pgl.release();
    await pool.end();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
