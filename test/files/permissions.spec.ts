/**
 * The permission matrix of the file mutations, like test/write/permissions.spec.ts
 * (which cannot build these inputs: each one names the acting user's own
 * uploads). Each cell uploads a fresh file as the acting user (investors,
 * who cannot upload, get one of the administrator's: the role gate refuses
 * them first) and a refused cell must leave every table as it was.
 */
import { startTestApp, USERS, type TestApp } from '../support/app';
import { WriteKit } from '../write/support';
import { pdfBytes, upload } from './support';

let app: TestApp;
let kit: WriteKit;

beforeAll(async () => {
  app = await startTestApp();
  kit = new WriteKit(app);
}, 60_000);
afterAll(async () => {
  await app?.close();
});

const COLUMNS = ['admin', 'pm', 'aurora', 'beacon', 'cobalt', 'delta'] as const;
type Outcome = 'ok' | 'FORBIDDEN' | 'NOT_FOUND';
const parse = (spec: string) => Object.fromEntries(COLUMNS.map((c, i) => [c, ({ ok: 'ok', F: 'FORBIDDEN', NF: 'NOT_FOUND' } as Record<string, Outcome>)[spec.trim().split(/\s+/)[i]]]));
//                         admin pm  aurora beacon cobalt delta
const MANAGED = parse('    ok    ok  F      F      F      F');
const UNMANAGED = parse('  ok    NF  F      F      F      F');

const DOCS: Record<string, string> = {
  attachFiles: 'mutation($input: AttachFilesInput!) { attachFiles(input: $input) { files { id } userErrors { code message } } }',
  createDocumentFolder: 'mutation($input: CreateDocumentFolderInput!) { createDocumentFolder(input: $input) { documentFolder { id } userErrors { code message } } }',
  addProjectDocument: 'mutation($input: AddProjectDocumentInput!) { addProjectDocument(input: $input) { document { id } userErrors { code message } } }',
};

async function fileOf(user: string): Promise<string> {
  const uploader = ['aurora', 'beacon'].includes(user) ? 'admin' : user;
  const res = await upload(app, await kit.token(uploader), 'matrix.pdf', pdfBytes(`matrix ${kit.next()}`));
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body.id;
}

const gidOf = async (type: string, sql: string, params: unknown[]) => {
  const [r] = await kit.sql<{ id: string }>(sql, params);
  return Buffer.from(`${type}:${r.id}`).toString('base64url');
};
const contractOf = (reference: string) => gidOf('Contract', 'select id from contract where reference = ?', [reference]);
const projectOf = (name: string) => gidOf('Project', 'select id from project where name = ?', [name]);
async function folderOf(project: string): Promise<string> {
  const res = await app.gql(DOCS.createDocumentFolder, { input: { projectId: await projectOf(project), name: `Folder ${kit.next()}` } }, await kit.token('admin'));
  return res.data.createDocumentFolder.documentFolder.id;
}

type Setup = (user: string) => Promise<Record<string, unknown>>;
const CELLS: [string, string, Setup, Record<string, Outcome>][] = [
  ['attachFiles', 'Atlas', async (u) => ({ subjectId: await contractOf('ATL-C-001'), fileIds: [await fileOf(u)] }), MANAGED],
  ['attachFiles', 'Cirrus', async (u) => ({ subjectId: await contractOf('CIR-C-001'), fileIds: [await fileOf(u)] }), UNMANAGED],
  ['createDocumentFolder', 'Atlas', async () => ({ projectId: await projectOf('Atlas'), name: 'Letters' }), MANAGED],
  ['createDocumentFolder', 'Cirrus', async () => ({ projectId: await projectOf('Cirrus'), name: 'Letters' }), UNMANAGED],
  ['addProjectDocument', 'Atlas', async (u) => ({ folderId: await folderOf('Atlas'), title: 'Letter', audience: 'INVESTORS', fileId: await fileOf(u) }), MANAGED],
  ['addProjectDocument', 'Cirrus', async (u) => ({ folderId: await folderOf('Cirrus'), title: 'Letter', audience: 'INVESTORS', fileId: await fileOf(u) }), UNMANAGED],
];

test.each(CELLS)('%s on %s', async (mutation, _project, setup, expected) => {
  const actual: Record<string, string> = {};
  for (const user of COLUMNS) {
    const input = await setup(user);
    const before = expected[user] === 'ok' ? null : await kit.checksums();
    const res = await app.gql(DOCS[mutation], { input }, await kit.token(user));
    const payload = res.data?.[mutation];
    const code = res.errors?.[0]?.extensions?.code ?? payload?.userErrors?.[0]?.code;
    actual[user] = code ?? 'ok';
    if (before) expect({ user, tables: await kit.checksums() }).toEqual({ user, tables: before });
  }
  expect(actual).toEqual(expected);
}, 60_000);

test('every demo user is a column', () => {
  expect([...COLUMNS].sort()).toEqual(Object.keys(USERS).sort());
});
