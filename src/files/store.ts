/**
 * Where file bytes live (docs/files.md#storage): one interface, two
 * implementations — PostgreSQL chunks (the default; works on the embedded
 * database) and an S3-compatible bucket (S3_URL). Both take and give the
 * bytes as streams of chunks: no file is ever held whole in memory.
 *
 * This module is infrastructure below the HTTP routes: it reads and writes
 * bytes by file id and decides nothing. The routes call it only for a file
 * whose row they created (upload) or loaded through the policy (download).
 */
import type { Knex } from '@mikro-orm/postgresql';
import type { Readable } from 'node:stream';
import type { FileStorageKind } from '../model/file.entity';

/** Size of the pieces written to storage (and of PostgreSQL's chunk rows). */
export const CHUNK_BYTES = 256 * 1024;

export interface FileStore {
  readonly kind: FileStorageKind;
  /**
   * Stores the bytes of `fileId`, consuming `chunks` one at a time (each at
   * most CHUNK_BYTES). PostgreSQL writes inside `trx`, so a rollback removes
   * them; other stores write outside it, and the caller calls `discard` when
   * the transaction does not commit.
   */
  write(trx: Knex.Transaction, fileId: string, chunks: AsyncIterable<Buffer>): Promise<void>;
  /** The bytes of `fileId`, as a stream that reads ahead at most a chunk or two. */
  read(fileId: string): Readable;
  /** Removes bytes stored outside the database transaction (nothing to do for PostgreSQL). */
  discard(fileId: string): Promise<void>;
}
