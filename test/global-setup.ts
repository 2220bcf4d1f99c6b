/**
 * Starts one embedded PostgreSQL for the whole run (unless DATABASE_URL is
 * set); each test file then creates its own database from the migrations
 * (test/support/app.ts), so files are isolated and can run in parallel.
 */
import 'reflect-metadata';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/db/embedded';

export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.VANTAGE_TEST_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const db = await startEmbeddedPostgres({
    dataDir: path.resolve(__dirname, '../.data/test'),
    // Test data is disposable: trade durability for speed.
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
  });
  process.env.VANTAGE_TEST_DATABASE_URL = db.url;
  (globalThis as { __vantagePg?: typeof db }).__vantagePg = db;
}
