import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const handle = (globalThis as { __vantagePg?: { db: { stop(): Promise<void> }; dataDirs: string[] } }).__vantagePg;
  if (!handle) return;
  await handle.db.stop();
  for (const dir of handle.dataDirs) rmSync(dir, { recursive: true, force: true });
}
