/**
 * What every engine process shares: a pg Client that counts the statements
 * it sends, and the IPC protocol with the runner (ready → stats* → exit).
 */
import type { Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

export interface EngineStats {
  statements: number;
  /** process.cpuUsage() of the engine process, microseconds. */
  cpuUser: number;
  cpuSystem: number;
  maxRssKb: number;
}

export const counter = { statements: 0 };

/** Wraps a pg Client class so every query it sends is counted. */
export function countingClient<C>(Base: C): C {
  const B = Base as unknown as new (...args: any[]) => { query(...a: any[]): any };
  return class extends B {
    query(...args: any[]) {
      counter.statements += 1;
      return super.query(...args);
    }
  } as unknown as C;
}

let profiler: Session | null = null;

function post(session: Session, method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));
}

export function serveIpc(server: Server, beforeExit: () => Promise<void> = async () => undefined): void {
  const send = (m: unknown) => process.send?.(m);
  process.on('message', async (m: { type: string }) => {
    if (m.type === 'stats') {
      const cpu = process.cpuUsage();
      send({ type: 'stats', stats: { statements: counter.statements, cpuUser: cpu.user, cpuSystem: cpu.system, maxRssKb: process.resourceUsage().maxRSS } satisfies EngineStats });
    } else if (m.type === 'profile-start') {
      // The V8 CPU profiler of `node --cpu-prof`, started over the inspector after the warm-up so start-up is not in the profile.
      profiler = new Session();
      profiler.connect();
      await post(profiler, 'Profiler.enable');
      await post(profiler, 'Profiler.setSamplingInterval', { interval: 200 });
      await post(profiler, 'Profiler.start');
      send({ type: 'profile-started' });
    } else if (m.type === 'profile-stop') {
      const { profile } = (await post(profiler!, 'Profiler.stop')) as { profile: unknown };
      writeFileSync((m as unknown as { file: string }).file, JSON.stringify(profile));
      profiler!.disconnect();
      send({ type: 'profile-stopped' });
    } else if (m.type === 'exit') {
      // Let in-flight requests finish before the pools close.
      server.closeIdleConnections?.();
      await Promise.race([new Promise((r) => server.close(r)), new Promise((r) => setTimeout(r, 10_000))]);
      await beforeExit().catch(() => undefined);
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
  const address = server.address() as { port: number };
  send({ type: 'ready', port: address.port, pid: process.pid });
}

/** Forces a listen on 127.0.0.1 for servers that call listen(port, cb) without a host. */
export function loopbackOnly(http: typeof import('node:http')): void {
  const listen = http.Server.prototype.listen;
  http.Server.prototype.listen = function (this: Server, ...args: any[]) {
    if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) return (listen as any).call(this, args[0], '127.0.0.1', args[1]);
    return listen.apply(this, args as any);
  } as typeof listen;
}
