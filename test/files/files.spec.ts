/**
 * Files (docs/files.md): attachments on deliverable rounds, contracts and
 * reports, the document room, signed downloads re-checked against the policy,
 * refused uploads that store nothing, and the audit of financial downloads.
 * One server for the file; MAX_UPLOAD_BYTES is 1 MB here (the large,
 * streamed upload is in streaming.spec.ts).
 */
import { createHash } from 'node:crypto';
import { signFileUrl } from '../../src/access/file-url';
import { toGlobalId } from '../../src/core/global-id';
import { startTestApp, USERS, type TestApp } from '../support/app';
import { download, fileRows, pdfBytes, upload } from './support';

const LIMIT = 1_000_000;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const NOT_FOUND = { errors: [{ message: 'File not found', extensions: { code: 'NOT_FOUND' } }] };
/** A refusal's body without its request id. */
const plain = (body: any) => ({ errors: body.errors.map((e: any) => ({ message: e.message, extensions: { code: e.extensions.code } })) });

const ROUNDS = `query($id: ID!) { node(id: $id) { ... on Deliverable { status version
  submissions(first: 10) { nodes { round note files { id name contentType size sha256 url uploadedBy { email } } } }
  reviews(first: 10) { nodes { round decision comment } } } } }`;
const FILE = `query($id: ID!) { node(id: $id) { ... on File { id name url } } }`;

describe('files', () => {
  let app: TestApp;
  const token: Record<string, string> = {};
  let deliverableId: string;
  let borealisContractId: string;
  let atlasId: string;

  const gql = async (user: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await app.gql(query, variables, token[user]);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data;
  };

  beforeAll(async () => {
    app = await startTestApp({ env: { MAX_UPLOAD_BYTES: String(LIMIT) } });
    for (const [k, email] of Object.entries(USERS)) token[k] = await app.login(email);
    const data = await gql('admin', `{ projects(first: 5) { nodes { id name version managers { id }
      contracts(first: 10) { nodes { id reference deliverables(first: 20) { nodes { id title } } } } } } }`);
    const atlas = data.projects.nodes.find((p: any) => p.name === 'Atlas');
    atlasId = atlas.id;
    deliverableId = atlas.contracts.nodes.flatMap((c: any) => c.deliverables.nodes).find((d: any) => d.title === 'Payments API adapter').id;
    borealisContractId = data.projects.nodes.find((p: any) => p.name === 'Borealis').contracts.nodes.find((c: any) => c.reference === 'BOR-C-001').id;

    // Two more Atlas-only users: a manager of Atlas alone, and an investor in Atlas alone.
    const northwind = (await gql('admin', '{ viewer { user { organization { id } } } }')).viewer.user.organization.id;
    const created = await gql('admin', `mutation($u: CreateUserInput!) { createUser(input: $u) { user { id } userErrors { message } } }`,
      { u: { organizationId: northwind, email: 'atlas-pm@northwind.example', name: 'Atlas Only', role: 'MANAGER', password: 'atlas-only-password-1' } });
    await gql('admin', `mutation($i: AssignProjectManagersInput!) { assignProjectManagers(input: $i) { userErrors { message } } }`,
      { i: { id: atlasId, version: atlas.version, managerIds: [...atlas.managers.map((m: any) => m.id), created.createUser.user.id] } });
    const fund = await gql('admin', `mutation { createOrganization(input: { name: "Atlas Only Fund", kind: INVESTOR }) { organization { id } } }`);
    const fundId = fund.createOrganization.organization.id;
    await gql('admin', `mutation($i: RecordInvestmentInput!) { recordInvestment(input: $i) { userErrors { message } } }`,
      { i: { projectId: atlasId, organizationId: fundId, committedAmount: '1000.00', committedOn: '2025-01-15' } });
    await gql('admin', `mutation($u: CreateUserInput!) { createUser(input: $u) { userErrors { message } } }`,
      { u: { organizationId: fundId, email: 'ir@atlas-only.example', name: 'Atlas Investor', role: 'VIEWER', password: 'atlas-only-password-2' } });
    for (const [k, email, password] of [['atlasPm', 'atlas-pm@northwind.example', 'atlas-only-password-1'], ['atlasInvestor', 'ir@atlas-only.example', 'atlas-only-password-2']]) {
      const res = await app.gql('mutation($i: LoginInput!) { login(input: $i) { token } }', { i: { email, password } });
      token[k] = res.data.login.token;
    }
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('a vendor submits with two files, the operator downloads and rejects, the vendor resubmits with a new file; after acceptance every round keeps its files', async () => {
    const spec = pdfBytes('adapter specification', 300_000);
    const csv = Buffer.from('case,result\nretry on 503,missing\ntimeout,ok\n');
    const up1 = await upload(app, token.cobalt, 'adapter-spec.pdf', spec);
    const up2 = await upload(app, token.cobalt, 'test-results.csv', csv, 'text/csv');
    expect(up1).toEqual({ status: 201, body: { id: expect.any(String), name: 'adapter-spec.pdf', contentType: 'application/pdf', size: 300_000, sha256: sha(spec), expiresAt: expect.any(String) } });
    expect(up2.body).toMatchObject({ name: 'test-results.csv', contentType: 'text/csv', size: csv.length, sha256: sha(csv) });
    // A pending upload is its uploader's alone.
    expect((await gql('cobalt', FILE, { id: up1.body.id })).node.name).toBe('adapter-spec.pdf');
    expect((await gql('pm', FILE, { id: up1.body.id })).node).toBeNull();

    let state = (await gql('cobalt', ROUNDS, { id: deliverableId })).node;
    const submit = `mutation($i: SubmitDeliverableInput!) { submitDeliverable(input: $i) { deliverable { status version } userErrors { code field message } } }`;
    const first = await gql('cobalt', submit, { i: { id: deliverableId, version: state.version, note: 'Spec and test results attached', fileIds: [up1.body.id, up2.body.id] } });
    expect(first.submitDeliverable).toEqual({ deliverable: { status: 'SUBMITTED', version: state.version + 1 }, userErrors: [] });

    state = (await gql('pm', ROUNDS, { id: deliverableId })).node;
    const round1 = state.submissions.nodes[0];
    expect(round1.files.map((f: any) => [f.name, f.contentType, f.size, f.sha256, f.uploadedBy.email]))
      .toEqual([['adapter-spec.pdf', 'application/pdf', 300_000, sha(spec), USERS.cobalt], ['test-results.csv', 'text/csv', csv.length, sha(csv), USERS.cobalt]]);
    const got1 = await download(app, round1.files[0].url);
    expect(got1.status).toBe(200);
    expect(got1.bytes.equals(spec)).toBe(true);
    expect(got1.headers.get('content-type')).toBe('application/pdf');
    expect(got1.headers.get('content-length')).toBe('300000');
    expect(got1.headers.get('etag')).toBe(`"${sha(spec)}"`);
    expect(got1.headers.get('content-disposition')).toBe(`attachment; filename="adapter-spec.pdf"; filename*=UTF-8''adapter-spec.pdf`);
    const got2 = await download(app, round1.files[1].url);
    expect([got2.status, got2.bytes.toString('utf8'), got2.headers.get('content-type')]).toEqual([200, csv.toString('utf8'), 'text/csv']);
    // The same bytes again: not modified.
    const again = await fetch(`http://127.0.0.1:${app.server.port}${round1.files[0].url}`, { headers: { 'if-none-match': `"${sha(spec)}"` } });
    expect(again.status).toBe(304);

    // An attached file cannot be attached again.
    const reuse = await gql('pm', `mutation($i: AttachFilesInput!) { attachFiles(input: $i) { files { id } userErrors { code field message } } }`, { i: { subjectId: borealisContractId, fileIds: [up1.body.id] } });
    expect(reuse.attachFiles).toEqual({ files: null, userErrors: [{ code: 'VALIDATION', field: ['input', 'fileIds'], message: 'fileIds: "adapter-spec.pdf" is already attached to another object; upload it again to attach it here' }] });

    const reject = `mutation($i: RejectDeliverableInput!) { rejectDeliverable(input: $i) { deliverable { status version } userErrors { message } } }`;
    const rejected = await gql('pm', reject, { i: { id: deliverableId, version: state.version, reason: 'No back-off on 503' } });
    expect(rejected.rejectDeliverable.deliverable.status).toBe('REJECTED');

    const fix = pdfBytes('adapter specification v2', 5000);
    const up3 = await upload(app, token.cobalt, 'adapter-spec-v2.pdf', fix);
    const second = await gql('cobalt', submit, { i: { id: deliverableId, version: rejected.rejectDeliverable.deliverable.version, note: 'Back-off added', fileIds: [up3.body.id] } });
    expect(second.submitDeliverable.deliverable.status).toBe('SUBMITTED');
    const accept = `mutation($i: AcceptDeliverableInput!) { acceptDeliverable(input: $i) { deliverable { status } userErrors { message } } }`;
    expect((await gql('pm', accept, { i: { id: deliverableId, version: second.submitDeliverable.deliverable.version } })).acceptDeliverable.deliverable.status).toBe('ACCEPTED');

    for (const viewer of ['pm', 'cobalt']) {
      const done = (await gql(viewer, ROUNDS, { id: deliverableId })).node;
      expect(done.status).toBe('ACCEPTED');
      expect(done.submissions.nodes.map((s: any) => [s.round, s.note, s.files.map((f: any) => f.name)])).toEqual([
        [1, 'Spec and test results attached', ['adapter-spec.pdf', 'test-results.csv']],
        [2, 'Back-off added', ['adapter-spec-v2.pdf']],
      ]);
      expect(done.reviews.nodes).toEqual([{ round: 1, decision: 'REJECTED', comment: 'No back-off on 503' }, { round: 2, decision: 'ACCEPTED', comment: null }]);
      const latest = await download(app, done.submissions.nodes[1].files[0].url);
      expect(latest.bytes.equals(fix)).toBe(true);
    }
    // Investors see no deliverable, so none of its files.
    expect((await gql('aurora', FILE, { id: up1.body.id })).node).toBeNull();
  }, 60_000);

  it('files of a Borealis contract are unreachable for every Atlas-only user: by id, by another user\'s URL, by an expired or tampered URL — all the same not found', async () => {
    const bytes = pdfBytes('Borealis QA statement of work');
    const up = await upload(app, token.pm, 'bor-sow.pdf', bytes);
    const attached = await gql('pm', `mutation($i: AttachFilesInput!) { attachFiles(input: $i) { files { id name } userErrors { message } } }`, { i: { subjectId: borealisContractId, fileIds: [up.body.id] } });
    expect(attached.attachFiles).toEqual({ files: [{ id: up.body.id, name: 'bor-sow.pdf' }], userErrors: [] });
    const contractFiles = `query($id: ID!) { node(id: $id) { ... on Contract { files { id url } } } }`;
    // Who sees the contract sees its file: the operator and Delta (the counterparty).
    const pmUrl = (await gql('pm', contractFiles, { id: borealisContractId })).node.files[0].url;
    const deltaUrl = (await gql('delta', contractFiles, { id: borealisContractId })).node.files[0].url;
    expect((await download(app, pmUrl, token.pm)).bytes.equals(bytes)).toBe(true);
    expect((await download(app, deltaUrl)).bytes.equals(bytes)).toBe(true);

    const fileUuid = Buffer.from(up.body.id, 'base64url').toString('utf8').split(':')[1];
    const random = toGlobalId('File', '0190a0a0-0000-7000-8000-000000000000');
    const baseline = await download(app, signFileUrl(app.config.files, random, '0190a0a0-0000-7000-8000-000000000000', (await gql('pm', '{ viewer { user { id } } }')).viewer.user.id).url);
    expect([baseline.status, plain(baseline.body)]).toEqual([404, NOT_FOUND]);

    for (const user of ['cobalt', 'atlasPm', 'atlasInvestor', 'aurora', 'beacon']) {
      const me = Buffer.from((await gql(user, '{ viewer { user { id } } }')).viewer.user.id, 'base64url').toString('utf8').split(':')[1];
      // By id: exactly like a random id.
      expect((await gql(user, FILE, { id: up.body.id })).node).toBeNull();
      expect((await gql(user, contractFiles, { id: borealisContractId })).node).toBeNull();
      const attempts = {
        'another user\'s URL': await download(app, pmUrl, token[user]),
        'a URL validly signed for this user': await download(app, signFileUrl(app.config.files, up.body.id, fileUuid, me).url),
        'an expired URL': await download(app, signFileUrl(app.config.files, up.body.id, fileUuid, me, Date.now() - 3600_000).url),
        'a URL with the user swapped': await download(app, pmUrl.replace(/u=[^&]+/, `u=${me}`)),
        'a URL with the expiry extended': await download(app, pmUrl.replace(/exp=(\d+)/, (_m: string, e: string) => `exp=${Number(e) + 3600}`)),
        'a URL with another signature': await download(app, pmUrl.replace(/sig=[^&]+/, `sig=${'A'.repeat(43)}`)),
      };
      for (const [what, res] of Object.entries(attempts)) {
        expect([user, what, res.status, plain(res.body)]).toEqual([user, what, 404, NOT_FOUND]);
      }
    }
    // pm's own URL, once expired, is refused too; and a URL of a file id that is not a File.
    expect((await download(app, signFileUrl(app.config.files, up.body.id, fileUuid, Buffer.from((await gql('pm', '{ viewer { user { id } } }')).viewer.user.id, 'base64url').toString('utf8').split(':')[1], Date.now() - 301_000).url)).status).toBe(404);
    expect((await download(app, pmUrl.replace(up.body.id, toGlobalId('Contract', fileUuid)))).status).toBe(404);
  }, 60_000);

  it('refuses an upload over the limit, an executable disguised as PDF, an empty file, and an unknown binary — with clear errors, storing nothing', async () => {
    const before = await fileRows(app);
    const tooBig = await upload(app, token.cobalt, 'huge.pdf', pdfBytes('too big', LIMIT + 300_000));
    expect([tooBig.status, plain(tooBig.body)]).toEqual([413, { errors: [{ message: `The file is larger than the limit of ${LIMIT} bytes (MAX_UPLOAD_BYTES); nothing was stored`, extensions: { code: 'FILE_TOO_LARGE' } }] }]);
    const exe = Buffer.alloc(4096);
    exe.write('MZ', 0, 'latin1');
    exe.writeUInt32LE(0x80, 0x3c);
    exe.write('PE\0\0', 0x80, 'latin1');
    const disguised = await upload(app, token.cobalt, 'invoice.pdf', exe, 'application/pdf');
    expect(disguised.status).toBe(415);
    expect(plain(disguised.body).errors[0]).toEqual({ message: expect.stringMatching(/^This kind of file cannot be uploaded \(its content is application\/x-msdownload\), whatever its name says: upload PDF/), extensions: { code: 'UNSUPPORTED_FILE_TYPE' } });
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(2000)]);
    expect((await upload(app, token.cobalt, 'report.pdf', elf)).body.errors[0].extensions.code).toBe('UNSUPPORTED_FILE_TYPE');
    const binary = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256));
    expect((await upload(app, token.cobalt, 'data.csv', binary, 'text/csv')).body.errors[0]).toMatchObject({ message: expect.stringContaining('its content is not a recognised format'), extensions: { code: 'UNSUPPORTED_FILE_TYPE' } });
    const empty = await upload(app, token.cobalt, 'empty.pdf', Buffer.alloc(0));
    expect([empty.status, plain(empty.body)]).toEqual([400, { errors: [{ message: 'The file is empty (0 bytes); nothing was stored', extensions: { code: 'EMPTY_FILE' } }] }]);
    expect(await fileRows(app)).toEqual(before);

    // Who may upload at all.
    expect((await upload(app, null, 'a.pdf', pdfBytes('x'))).status).toBe(401);
    expect((await upload(app, token.aurora, 'a.pdf', pdfBytes('x'))).body.errors[0].extensions.code).toBe('FORBIDDEN');
    const notMultipart = await fetch(`http://127.0.0.1:${app.server.port}/files`, { method: 'POST', headers: { authorization: `Bearer ${token.pm}`, 'content-type': 'application/pdf' }, body: pdfBytes('x') });
    expect(notMultipart.status).toBe(415);
    expect(await fileRows(app)).toEqual(before);
  }, 60_000);

  it('a report pack: attached while DRAFT, visible to investors once published, fixed afterwards; each download audited', async () => {
    const reports = await gql('pm', `query($id: ID!) { node(id: $id) { ... on Project { financialReports(first: 20) { nodes { id status version files { id } } } } } }`, { id: atlasId });
    const draft = reports.node.financialReports.nodes.find((r: any) => r.status === 'DRAFT');
    const published = reports.node.financialReports.nodes.find((r: any) => r.status === 'PUBLISHED');
    const pack = pdfBytes('Atlas month pack');
    const up = await upload(app, token.pm, 'atlas-pack.pdf', pack);
    const attach = `mutation($i: AttachFilesInput!) { attachFiles(input: $i) { files { id } userErrors { code field message } } }`;
    const onPublished = await gql('pm', attach, { i: { subjectId: published.id, fileIds: [up.body.id] } });
    expect(onPublished.attachFiles.userErrors).toEqual([{ code: 'INVALID_TRANSITION', field: ['input', 'subjectId'], message: 'This report is PUBLISHED: its files are fixed like its figures once published; restate it to change them' }]);
    expect((await gql('pm', attach, { i: { subjectId: draft.id, fileIds: [up.body.id] } })).attachFiles.userErrors).toEqual([]);
    // A partner cannot attach (role gate), an investor does not see the draft's pack.
    expect((await app.gql(attach, { i: { subjectId: draft.id, fileIds: [up.body.id] } }, token.cobalt)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await gql('aurora', FILE, { id: up.body.id })).node).toBeNull();

    const version = (await gql('pm', `query($id: ID!) { node(id: $id) { ... on FinancialReport { version } } }`, { id: draft.id })).node.version;
    // The demo's draft leaves out categories month 4 still estimated: published as it is, on purpose.
    const pub = await gql('pm', `mutation($i: PublishFinancialReportInput!) { publishFinancialReport(input: $i) { userErrors { message } } }`, { i: { id: draft.id, version, confirmMissingCategories: true } });
    expect(pub.publishFinancialReport.userErrors).toEqual([]);
    const seen = (await gql('aurora', `query($id: ID!) { node(id: $id) { ... on FinancialReport { files { name url } } } }`, { id: draft.id })).node.files;
    expect(seen.map((f: any) => f.name)).toEqual(['atlas-pack.pdf']);
    const got = await download(app, seen[0].url);
    expect(got.bytes.equals(pack)).toBe(true);
    // Beacon (not an Atlas investor) does not.
    expect((await gql('beacon', FILE, { id: up.body.id })).node).toBeNull();
    // Fixed once published: nothing more can be attached.
    const more = await upload(app, token.pm, 'late.pdf', pdfBytes('late'));
    expect((await gql('pm', attach, { i: { subjectId: draft.id, fileIds: [more.body.id] } })).attachFiles.userErrors[0].code).toBe('INVALID_TRANSITION');

    const events = await gql('admin', `{ auditEvents(first: 20, filter: { action: "file.download" }) { nodes { action actor { email } entityId changes } } }`);
    expect(events.auditEvents.nodes).toEqual([
      { action: 'file.download', actor: { email: USERS.aurora }, entityId: up.body.id, changes: expect.objectContaining({ name: { before: null, after: 'atlas-pack.pdf' } }) },
    ]);
  }, 60_000);

  it('the document room: folders, documents with audiences like updates; investors and partners each see and download their own', async () => {
    const folder = await gql('pm', `mutation($i: CreateDocumentFolderInput!) { createDocumentFolder(input: $i) { documentFolder { id name } userErrors { message } } }`, { i: { projectId: atlasId, name: 'Investor letters' } });
    const folderId = folder.createDocumentFolder.documentFolder.id;
    const add = `mutation($i: AddProjectDocumentInput!) { addProjectDocument(input: $i) { document { id title audience file { name } } userErrors { code field message } } }`;
    const letter = pdfBytes('Q3 investor letter');
    const l = await upload(app, token.pm, 'q3-letter.pdf', letter);
    const n = await upload(app, token.pm, 'site-rules.txt', Buffer.from('Badges at the gate.\n'));
    expect((await gql('pm', add, { i: { folderId, title: 'Q3 letter', audience: 'INVESTORS', fileId: l.body.id } })).addProjectDocument)
      .toEqual({ document: { id: expect.any(String), title: 'Q3 letter', audience: 'INVESTORS', file: { name: 'q3-letter.pdf' } }, userErrors: [] });
    await gql('pm', add, { i: { folderId, title: 'Site rules', audience: 'PARTNERS', fileId: n.body.id } });

    const room = `query($id: ID!) { node(id: $id) { ... on Project { documentFolders { name documents { title audience file { name contentType url } } } } } }`;
    const titles = async (user: string) => ((await gql(user, room, { id: atlasId })).node?.documentFolders ?? []).map((f: any) => [f.name, f.documents.map((d: any) => d.title)]);
    expect(await titles('pm')).toEqual([['Investor letters', ['Q3 letter', 'Site rules']]]);
    expect(await titles('aurora')).toEqual([['Investor letters', ['Q3 letter']]]);
    expect(await titles('atlasInvestor')).toEqual([['Investor letters', ['Q3 letter']]]);
    expect(await titles('cobalt')).toEqual([['Investor letters', ['Site rules']]]);
    expect(await titles('beacon')).toEqual([]);
    const doc = (await gql('aurora', room, { id: atlasId })).node.documentFolders[0].documents[0].file;
    expect((await download(app, doc.url)).bytes.equals(letter)).toBe(true);
    // Partners never read the investors' letter, even with the investor's URL.
    expect((await download(app, doc.url, token.cobalt)).status).toBe(404);
    const events = await gql('admin', `{ auditEvents(first: 20, filter: { action: "file.download" }) { nodes { actor { email } changes } } }`);
    expect(events.auditEvents.nodes.map((e: any) => [e.actor.email, e.changes.name.after])).toContainEqual([USERS.aurora, 'q3-letter.pdf']);
  }, 60_000);
});
