/**
 * File bytes in an S3-compatible bucket (S3_URL): a real S3 server on
 * loopback (s3rver, which speaks the S3 REST API and checks the SigV4
 * signatures), never a mock of the client. Small files go up as one
 * PutObject, large ones as a multipart upload in 8 MiB parts; downloads read
 * the object back through the same signed, policy-checked URLs; a refused
 * upload leaves no object and no row.
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { startTestApp, USERS, type TestApp } from '../support/app';
import { uuidOf } from '../write/support';
import { download, fileRows, pdfBytes, upload, uploadStream } from './support';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const BUCKET = 'vantage-files';
const LIMIT = 18 * 1024 * 1024;
const ROUNDS = `query($id: ID!) { node(id: $id) { ... on Deliverable { version
  submissions(first: 10) { nodes { round files { id name size sha256 url } } } } } }`;

describe('files in S3-compatible storage', () => {
  let directory: string;
  let s3rver: S3rver;
  let app: TestApp;
  let client: S3Client;
  const token: Record<string, string> = {};

  const objects = async () => {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    return (listed.Contents ?? []).map((o) => ({ key: o.Key!, size: o.Size! })).sort((a, b) => a.key.localeCompare(b.key));
  };

  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'vantage-s3-'));
    s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: BUCKET, configs: [] }] });
    const { port } = (await s3rver.run()) as { port: number };
    const endpoint = `http://127.0.0.1:${port}`;
    client = new S3Client({ region: 'eu-west-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    app = await startTestApp({ env: { MAX_UPLOAD_BYTES: String(LIMIT), S3_URL: `s3://S3RVER:S3RVER@${BUCKET}?region=eu-west-1&endpoint=${encodeURIComponent(endpoint)}` } });
    for (const who of ['admin', 'pm', 'cobalt', 'aurora'] as const) token[who] = await app.login(USERS[who]);
  }, 120_000);

  afterAll(async () => {
    client?.destroy();
    await app?.close();
    await s3rver?.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('a submission\'s files (one small, one of three multipart parts) are objects in the bucket, none in PostgreSQL, and download byte for byte', async () => {
    const small = pdfBytes('S3 small file', 5_000);
    const bigSize = 17 * 1024 * 1024; // 8 MiB + 8 MiB + 1 MiB
    const big = Buffer.alloc(bigSize, 0x20);
    Buffer.from('%PDF-1.7\n% large pack\n').copy(big);
    Buffer.from('\n%%EOF\n').copy(big, bigSize - 7);

    const up1 = await upload(app, token.cobalt, 'small.pdf', small);
    expect(up1.status).toBe(201);
    const up2 = await uploadStream(app, token.cobalt, 'large-pack.pdf', bigSize, (offset, length) => big.subarray(offset, offset + length));
    expect(up2.status).toBe(201);
    expect(up2.body).toMatchObject({ name: 'large-pack.pdf', contentType: 'application/pdf', size: bigSize, sha256: sha(big) });

    // The bytes are in the bucket, keyed by file id; PostgreSQL holds the rows only.
    expect(await objects()).toEqual(
      [{ key: `files/${uuidOf(up1.body.id)}`, size: small.length }, { key: `files/${uuidOf(up2.body.id)}`, size: bigSize }].sort((a, b) => a.key.localeCompare(b.key)),
    );
    expect(await fileRows(app)).toEqual({ files: 2, chunks: 0 });

    const found = await app.gql(`{ projects(first: 1, filter: { search: "Atlas" }) { nodes { contracts(first: 5) { nodes { deliverables(first: 20) { nodes { id title version } } } } } } }`, {}, token.admin);
    const deliverable = found.data.projects.nodes[0].contracts.nodes.flatMap((c: any) => c.deliverables.nodes).find((d: any) => d.title === 'Payments API adapter');
    const submitted = await app.gql(
      'mutation($i: SubmitDeliverableInput!) { submitDeliverable(input: $i) { userErrors { code } } }',
      { i: { id: deliverable.id, version: deliverable.version, note: 'Both files', fileIds: [up1.body.id, up2.body.id] } },
      token.cobalt,
    );
    expect(submitted.data.submitDeliverable.userErrors).toEqual([]);

    const files = (await app.gql(ROUNDS, { id: deliverable.id }, token.pm)).data.node.submissions.nodes.at(-1).files;
    expect(files.map((f: any) => [f.name, f.size, f.sha256])).toEqual([['small.pdf', small.length, sha(small)], ['large-pack.pdf', bigSize, sha(big)]]);
    const got1 = await download(app, files[0].url);
    expect(got1.status).toBe(200);
    expect(got1.bytes.equals(small)).toBe(true);
    const got2 = await download(app, files[1].url);
    expect(got2.status).toBe(200);
    expect(got2.bytes.length).toBe(bigSize);
    expect(sha(got2.bytes)).toBe(sha(big));

    // The policy still decides: Atlas's files are not Beacon's to read (Beacon invests in Borealis and Cirrus only).
    const beacon = await app.login(USERS.beacon);
    expect((await app.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: files[0].id }, beacon)).data.node).toBeNull();
  }, 120_000);

  it('a refused upload (an executable disguised as PDF; an empty file; one over the limit after two parts were sent) leaves no object and no row', async () => {
    const before = { objects: await objects(), rows: await fileRows(app) };
    const head = Buffer.from('%PDF-1.7\n');
    const tooBig = await uploadStream(app, token.cobalt, 'too-big.pdf', LIMIT + 2 * 1024 * 1024, (offset, length) =>
      offset === 0 ? Buffer.concat([head, Buffer.alloc(length - head.length, 0x20)]) : Buffer.alloc(length, 0x20));
    expect([tooBig.status, tooBig.body.errors[0].extensions.code]).toEqual([413, 'FILE_TOO_LARGE']);
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(4000, 0x90)]);
    const disguised = await upload(app, token.cobalt, 'invoice.pdf', exe);
    expect(disguised.status).toBe(415);
    const empty = await upload(app, token.cobalt, 'empty.pdf', Buffer.alloc(0));
    expect(empty.status).toBe(400);
    expect(await objects()).toEqual(before.objects);
    expect(await fileRows(app)).toEqual(before.rows);
  }, 60_000);
});
