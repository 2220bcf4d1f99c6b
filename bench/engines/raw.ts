/**
 * The raw-SQL peer: a bare node:http server that answers each scenario with
 * its hand-written SQL through `pg` — /json/<scenario> with one json_agg
 * statement, /flat/<scenario> with one statement per level. The viewer comes
 * as a user id header: no token verification, the physical limit.
 */
import http from 'node:http';
import { Client, Pool } from 'pg';
import { SCENARIOS } from '../scenarios';
import { todayUtc } from '../scenarios/db';
import type { Case } from '../scenarios/types';
import { countingClient, serveIpc } from './child';
import { poolDb } from '../lib/database';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, Client: countingClient(Client) });
// A backend ended by the server (shutdown) must not crash the process.
pool.on('error', () => undefined);
const db = poolDb(pool);
const byKey = new Map(SCENARIOS.map((s) => [s.key, s]));

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const [, mode, key] = (req.url ?? '').split('/');
      const scenario = byKey.get(key);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const c = { user: { id: String(req.headers['x-bench-user']) }, variables: body.variables ?? {} } as Case;
      let text: string;
      if (scenario?.rawJson && mode === 'json') text = await scenario.rawJson(db, c, { today: todayUtc() });
      else if (scenario?.rawFlat && mode === 'flat') text = JSON.stringify(await scenario.rawFlat(db, c, { today: todayUtc() }));
      else {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String((err as Error).message));
    }
  });
});

server.listen(0, '127.0.0.1', () => serveIpc(server, () => pool.end()));
