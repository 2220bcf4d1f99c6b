/**
 * File bytes in PostgreSQL: `file_chunk(file_id, seq, data bytea)`, one row
 * per 256 KiB chunk. Written one chunk per statement inside the upload's
 * transaction (waiting for each insert before reading further from the
 * client, so a slow database slows the upload instead of filling memory),
 * read back one chunk per statement as the response drains.
 */
import type { Knex } from '@mikro-orm/postgresql';
import { Readable } from 'node:stream';
import { FileStorageKind } from '../model/file.entity';
import type { FileStore } from './store';

export class PostgresFileStore implements FileStore {
  readonly kind = FileStorageKind.POSTGRES;

  constructor(private readonly knex: Knex) {}

  async write(trx: Knex.Transaction, fileId: string, chunks: AsyncIterable<Buffer>): Promise<void> {
    let seq = 0;
    for await (const data of chunks) {
      await trx('file_chunk').insert({ file_id: fileId, seq, data });
      seq += 1;
    }
  }

  read(fileId: string): Readable {
    const knex = this.knex;
    async function* chunks() {
      for (let seq = 0; ; seq += 1) {
        const row = await knex('file_chunk').select('data').where({ file_id: fileId, seq }).first();
        if (!row) return;
        yield row.data as Buffer;
      }
    }
    return Readable.from(chunks(), { objectMode: false, highWaterMark: 1 });
  }

  async discard(): Promise<void> {
    // The chunks were written in the upload's transaction: its rollback removed them.
  }
}
