export default async function globalTeardown(): Promise<void> {
  const db = (globalThis as { __vantagePg?: { stop(): Promise<void> } }).__vantagePg;
  await db?.stop();
}
