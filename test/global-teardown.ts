import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const handle = (globalThis as { __vantagePg?: { db: { stop(): Promise<void> }; dataDir: string } }).__vantagePg;
  if (!handle) return;
  await handle.db.stop();
  rmSync(handle.dataDir, { recursive: true, force: true });
}
