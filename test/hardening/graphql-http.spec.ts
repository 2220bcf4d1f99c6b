/**
 * GraphQL-over-HTTP conformance: the graphql-http package's server audit
 * against the running server. No MUST may fail; SHOULD-level deviations are
 * listed (Apollo answers parse and validation errors with 400, docs/pitfalls.md).
 */
import { serverAudits } from 'graphql-http';
import { startHardenedApp, type HardenedApp } from './support';

let app: HardenedApp;
beforeAll(async () => {
  app = await startHardenedApp({ logLevel: 'silent' });
});
afterAll(async () => {
  await app?.close();
});

test('graphql-http server audit: 0 MUST failures', async () => {
  const audits = serverAudits({ url: app.url });
  const results = [];
  for (const audit of audits) results.push(await audit.fn());
  const must = results.filter((r) => r.name.startsWith('MUST'));
  const mustFailures = must.filter((r) => r.status !== 'ok').map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`);
  const should = results.filter((r) => r.name.startsWith('SHOULD'));
  const shouldFailures = should.filter((r) => r.status !== 'ok').map((r) => r.name);
  expect(mustFailures).toEqual([]);
  console.log(
    `graphql-http audit: ${must.length - mustFailures.length}/${must.length} MUST ok, ${should.length - shouldFailures.length}/${should.length} SHOULD ok, ` +
    `${results.length} audits in all` + (shouldFailures.length ? `; SHOULD not met: ${shouldFailures.join(' | ')}` : ''),
  );
});
