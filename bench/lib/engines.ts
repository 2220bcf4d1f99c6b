/** Starts the engines as child processes and talks to them over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { EngineStats } from '../engines/child';

export interface EngineProcess {
  name: string;
  pid: number;
  port: number;
  child: ChildProcess;
  stats(): Promise<EngineStats>;
  /** Sends a message and waits for the reply of the given type. */
  call(message: object, reply: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startEngine(name: string, file: string, env: Record<string, string>, execArgv: string[] = []): Promise<EngineProcess> {
  const child = fork(path.resolve(__dirname, '../engines', file), [], {
    execArgv: ['-r', '@swc-node/register', ...execArgv],
    env: { ...process.env, ...env },
    cwd: path.resolve(__dirname, '../..'),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ port: number; pid: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 120 s`)), 120_000);
    child.once('exit', (code) => reject(new Error(`${name} exited during start-up (code ${code})`)));
    child.on('message', (m: any) => {
      if (m?.type === 'ready') {
        clearTimeout(timer);
        resolve(m);
      }
    });
  });
  const waiting: ((s: EngineStats) => void)[] = [];
  child.on('message', (m: any) => {
    if (m?.type === 'stats') waiting.shift()?.(m.stats);
  });
  return {
    name,
    pid: ready.pid,
    port: ready.port,
    child,
    stats: () => new Promise((resolve) => {
      waiting.push(resolve);
      child.send({ type: 'stats' });
    }),
    call: (message, reply) => new Promise<void>((resolve) => {
      const on = (m: any) => {
        if (m?.type === reply) {
          child.off('message', on);
          resolve();
        }
      };
      child.on('message', on);
      child.send(message);
    }),
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.send({ type: 'exit' });
    }),
  };
}
