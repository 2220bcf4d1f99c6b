/** Uploading and downloading files against a test server, as a client would. */
import http from 'node:http';
import { Readable } from 'node:stream';
import type { TestApp } from '../support/app';

export interface UploadResult { status: number; body: any }

/** A minimal PDF (the bytes file-type recognises as application/pdf), padded to `size` bytes. */
export function pdfBytes(label: string, size = 2000): Buffer {
  const head = Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj << /Type /Catalog >> endobj\n`);
  const tail = Buffer.from('\n%%EOF\n');
  const pad = Buffer.alloc(Math.max(0, size - head.length - tail.length), 0x20);
  return Buffer.concat([head, pad, tail]);
}

/** POST /files with one file, as multipart/form-data built by fetch. */
export async function upload(app: TestApp, token: string | null, name: string, bytes: Buffer, declaredType = 'application/pdf'): Promise<UploadResult> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: declaredType }), name);
  const res = await fetch(`http://127.0.0.1:${app.server.port}/files`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: form,
  });
  return { status: res.status, body: await res.json() };
}

/**
 * POST /files with a body generated as it is sent (never whole in memory):
 * `size` bytes produced by `produce(offset, length)` in pieces of 64 KiB, with
 * the client's backpressure, over node:http.
 */
export function uploadStream(app: TestApp, token: string, name: string, size: number, produce: (offset: number, length: number) => Buffer): Promise<UploadResult> {
  const boundary = `----vantage-test-${Date.now()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const PIECE = 64 * 1024;
  async function* body() {
    yield head;
    for (let offset = 0; offset < size; offset += PIECE) yield produce(offset, Math.min(PIECE, size - offset));
    yield tail;
  }
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port: app.server.port, path: '/files', method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + tail.length },
    }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString('utf8')) }));
    });
    req.on('error', reject);
    Readable.from(body()).pipe(req);
  });
}

/** GET a download URL (path and query as File.url gives it). */
export async function download(app: TestApp, url: string, token?: string): Promise<{ status: number; bytes: Buffer; headers: Headers; body: any }> {
  const res = await fetch(`http://127.0.0.1:${app.server.port}${url}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  let body: any = null;
  if ((res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(bytes.toString('utf8'));
  return { status: res.status, bytes, headers: res.headers, body };
}

/** Rows of the file tables, to show a refused upload stored nothing. */
export async function fileRows(app: TestApp): Promise<{ files: number; chunks: number }> {
  const knex = app.orm.em.getKnex();
  const [{ count: files }] = await knex('file').count('* as count');
  const [{ count: chunks }] = await knex('file_chunk').count('* as count');
  return { files: Number(files), chunks: Number(chunks) };
}
