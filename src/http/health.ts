/**
 * /healthz: the process answers. /readyz: it should get traffic — false
 * while shutting down (so a load balancer drains it first) and while the
 * database does not answer.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => { clearTimeout(timer); resolve(v); },
      (e) => { clearTimeout(timer); reject(e); },
    );
  });
}

export function healthRoutes(orm: MikroORM, isReady: () => boolean): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (!isReady()) {
      res.status(503).json({ status: 'shutting down' });
      return;
    }
    try {
      await withTimeout(orm.em.getConnection().execute('select 1'), 2_000);
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  return router;
}
