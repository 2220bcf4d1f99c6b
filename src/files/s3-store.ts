/**
 * File bytes in an S3-compatible bucket (S3_URL), object key `files/<uuid>`.
 * Uploads go up as a multipart upload in parts of 8 MiB (S3 wants at least
 * 5 MiB per part but the last), so at most one part is in memory; a file
 * smaller than one part is one PutObject. A failed upload aborts its
 * multipart upload; `discard` deletes an object whose database row was not
 * committed. Tested against a real S3-compatible server (docs/files.md).
 */
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, DeleteObjectCommand,
  GetObjectCommand, PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import type { FilesConfig } from '../config';
import { FileStorageKind } from '../model/file.entity';
import type { FileStore } from './store';

const PART_BYTES = 8 * 1024 * 1024;

export class S3FileStore implements FileStore {
  readonly kind = FileStorageKind.S3;
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: NonNullable<FilesConfig['s3']>) {
    this.bucket = config.bucket;
    this.client = new S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    });
  }

  private key(fileId: string): string {
    return `files/${fileId}`;
  }

  async write(_trx: unknown, fileId: string, chunks: AsyncIterable<Buffer>): Promise<void> {
    const Key = this.key(fileId);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let uploadId: string | null = null;
    const parts: { ETag: string; PartNumber: number }[] = [];
    const flushPart = async () => {
      const Body = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      if (uploadId === null) {
        const created = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key }));
        uploadId = created.UploadId!;
      }
      const PartNumber = parts.length + 1;
      const done = await this.client.send(new UploadPartCommand({ Bucket: this.bucket, Key, UploadId: uploadId, PartNumber, Body }));
      parts.push({ ETag: done.ETag!, PartNumber });
    };
    try {
      for await (const chunk of chunks) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= PART_BYTES) await flushPart();
      }
      if (uploadId === null) {
        await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: Buffer.concat(pending, pendingBytes) }));
        return;
      }
      if (pendingBytes > 0) await flushPart();
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
    } catch (err) {
      if (uploadId !== null) {
        await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId: uploadId })).catch(() => undefined);
      }
      throw err;
    }
  }

  read(fileId: string): Readable {
    const client = this.client;
    const input = { Bucket: this.bucket, Key: this.key(fileId) };
    async function* chunks() {
      const object = await client.send(new GetObjectCommand(input));
      yield* object.Body as Readable;
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  async discard(fileId: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(fileId) }));
  }
}
