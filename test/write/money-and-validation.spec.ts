/**
 * Money round-trips exactly as decimal strings, from the GraphQL variables to
 * PostgreSQL numeric(18,2) and back; a third decimal, a sign or a float is
 * refused by the Decimal scalar as a top-level BAD_USER_INPUT before anything
 * runs (decision: the scalar is the one place that parses money, so every
 * money field of every input gets the same rule). Other validation problems
 * are userErrors with the field and a message that says how to fix it.
 */
import { addDays } from '../../src/core/dates';
import { startTestApp, type TestApp } from '../support/app';
import { uuidOf, WriteKit } from './support';

let app: TestApp;
let kit: WriteKit;
beforeAll(async () => {
  app = await startTestApp();
  kit = new WriteKit(app);
});
afterAll(async () => {
  await app?.close();
});

describe('money round-trips exactly', () => {
  test.each([
    ['9999999999999999.99', '9999999999999999.99'],
    ['0.10', '0.10'],
    ['0.1', '0.10'],
    ['12', '12.00'],
    ['0', '0.00'],
    ['1234567.05', '1234567.05'],
  ])('contract value %s → %s in the payload, the database and a fresh read', async (sent, stored) => {
    const c = await kit.ok('pm', 'createContract', {
      projectId: await kit.project('atlas'), counterpartyId: await kit.org('Cobalt Cloud'), reference: `MNY-${kit.next()}`, title: 't', kind: 'FIXED_PRICE',
      value: sent, startDate: kit.dates('atlas').start, endDate: kit.dates('atlas').end,
    });
    expect(c.value).toBe(stored);
    const [row] = await kit.sql<{ value: string }>('select value::text from contract where id = ?', [uuidOf(c.id)]);
    expect(row.value).toBe(stored);
    const read = await app.gql('query($id: ID!) { node(id: $id) { ... on Contract { value } } }', { id: c.id }, await kit.token('admin'));
    expect(read.data.node.value).toBe(stored);
  });

  test('every money field of every input keeps its cents', async () => {
    const project = await kit.ok('admin', 'createProject', {
      code: 'MNY-P', name: 'Money', currency: 'eur', budget: '9999999999999999.99', startDate: '2030-01-01', targetEndDate: '2030-12-31',
    });
    expect([project.budget, project.currency]).toEqual(['9999999999999999.99', 'EUR']);
    const updated = await kit.ok('admin', 'updateProject', { id: project.id, version: 1, budget: '0.10' });
    expect(updated.budget).toBe('0.10');
    const inv = await kit.ok('admin', 'recordInvestment', { projectId: project.id, organizationId: await kit.org('Aurora Capital'), committedAmount: '0.10', committedOn: '2030-01-01' });
    expect(inv.committedAmount).toBe('0.10');
    const inv2 = await kit.ok('admin', 'updateInvestment', { id: inv.id, version: 1, committedAmount: '9999999999999999.99' });
    expect(inv2.committedAmount).toBe('9999999999999999.99');
    const m = await kit.ok('admin', 'createMilestone', { projectId: project.id, title: 'm', dueDate: '2030-06-01', plannedValue: '0.1' });
    expect(m.plannedValue).toBe('0.10');
    const r = await kit.ok('admin', 'createFinancialReport', {
      projectId: project.id, periodStart: '2030-01-01', periodEnd: '2030-01-31',
      lines: [{ category: 'LABOR', planned: '9999999999999999.99', actual: '0.10', estimateToComplete: '0.01' }],
    });
    expect(r.lines.nodes).toEqual([{ category: 'LABOR', planned: '9999999999999999.99', actual: '0.10', estimateToComplete: '0.01' }]);
    const rows = await kit.sql('select planned::text, actual::text, estimate_to_complete::text as etc from financial_report_line where report_id = ?', [uuidOf(r.id)]);
    expect(rows).toEqual([{ planned: '9999999999999999.99', actual: '0.10', etc: '0.01' }]);
  });

  test.each([
    ['1.005', '"1.005" has more than 2 decimals'],
    ['0.001', '"0.001" has more than 2 decimals'],
    ['-1.00', '"-1.00" is negative; amounts must be zero or more'],
    ['10000000000000000.00', '"10000000000000000.00" is too large (at most 16 digits before the decimal point)'],
    ['1e5', '"1e5" is not a decimal number'],
    ['12,50', '"12,50" is not a decimal number'],
    [12.5, 'Decimal values are strings such as "1250000.00" (never numbers, to keep them exact)'],
  ])('%s is a top-level BAD_USER_INPUT and nothing is written', async (value, message) => {
    const before = await kit.checksums();
    const out = await kit.run('pm', 'createContract', {
      projectId: await kit.project('atlas'), counterpartyId: await kit.org('Cobalt Cloud'), reference: 'BAD', title: 't', kind: 'FIXED_PRICE',
      value, startDate: kit.dates('atlas').start, endDate: kit.dates('atlas').end,
    });
    expect(out.code).toBe('BAD_USER_INPUT');
    expect(out.res.errors![0].message).toContain(message);
    expect(await kit.checksums()).toEqual(before);
  });

  test('a third decimal in a report line is refused the same way', async () => {
    const id = await kit.newReport('atlas');
    const out = await kit.run('pm', 'updateFinancialReport', { id, version: 1, lines: [{ category: 'LABOR', planned: '1.00', actual: '2.345', estimateToComplete: '0' }] });
    expect(out.code).toBe('BAD_USER_INPUT');
    expect(out.res.errors![0].message).toContain('"2.345" has more than 2 decimals');
  });
});

describe('validation problems are userErrors naming the field, and nothing is written', () => {
  async function expectUserErrors(user: string, mutation: Parameters<WriteKit['run']>[1], input: Record<string, unknown>, expected: unknown[]) {
    const before = await kit.checksums();
    const out = await kit.run(user, mutation, input);
    expect(out.res.errors).toBeUndefined();
    expect(out.object).toBeNull();
    expect(out.userErrors).toEqual(expected);
    expect(await kit.checksums()).toEqual(before);
  }

  test('project: code, name length, currency, dates, all at once', async () => {
    await expectUserErrors('admin', 'createProject', {
      code: 'bad code', name: '', currency: 'EURO', budget: '1.00', startDate: '2030-02-01', targetEndDate: '2030-01-01',
    }, [
      { field: ['input', 'code'], code: 'VALIDATION', message: 'code must be 2–40 capital letters, digits and hyphens, starting with a letter or digit (e.g. PRJ-2026-02)' },
      { field: ['input', 'name'], code: 'VALIDATION', message: 'name must be 1–200 characters (got 0)' },
      { field: ['input', 'currency'], code: 'VALIDATION', message: 'currency must be an ISO 4217 code such as EUR or USD (got "EURO")' },
      { field: ['input', 'targetEndDate'], code: 'VALIDATION', message: 'targetEndDate must be on or after startDate (got 2030-02-01 to 2030-01-01)' },
    ]);
  });

  test('currency codes come from ISO 4217, not just three letters', async () => {
    await expectUserErrors('admin', 'createProject', { code: 'CUR-1', name: 'n', currency: 'ABC', budget: '1.00', startDate: '2030-01-01', targetEndDate: '2030-01-02' }, [
      { field: ['input', 'currency'], code: 'VALIDATION', message: 'currency must be an ISO 4217 code such as EUR or USD (got "ABC")' },
    ]);
    const ok = await kit.ok('admin', 'createProject', { code: 'CUR-2', name: 'n', currency: 'CHF', budget: '1.00', startDate: '2030-01-01', targetEndDate: '2030-01-02' });
    expect(ok.currency).toBe('CHF');
  });

  test('a duplicate project code is ALREADY_EXISTS', async () => {
    await expectUserErrors('admin', 'createProject', { code: 'PRJ-2025-01', name: 'n', currency: 'EUR', budget: '1.00', startDate: '2030-01-01', targetEndDate: '2030-01-02' }, [
      { field: ['input', 'code'], code: 'ALREADY_EXISTS', message: 'A project with code PRJ-2025-01 already exists' },
    ]);
  });

  test('the currency of a project with recorded amounts cannot change', async () => {
    const atlas = await kit.project('atlas');
    await expectUserErrors('pm', 'updateProject', { id: atlas, version: await kit.version('project', atlas), currency: 'USD' }, [
      { field: ['input', 'currency'], code: 'VALIDATION', message: 'currency cannot change once amounts are recorded in EUR (investments, contracts or financial reports)' },
    ]);
  });

  test('risk: likelihood and impact 1–5, title length, CONTRACT visibility needs a contract', async () => {
    await expectUserErrors('pm', 'createRisk', {
      projectId: await kit.project('atlas'), title: 'x'.repeat(201), category: 'OTHER', likelihood: 0, impact: 6, visibility: 'CONTRACT',
    }, [
      { field: ['input', 'title'], code: 'VALIDATION', message: 'title must be 1–200 characters (got 201)' },
      { field: ['input', 'likelihood'], code: 'VALIDATION', message: 'likelihood must be a whole number from 1 to 5 (got 0)' },
      { field: ['input', 'impact'], code: 'VALIDATION', message: 'impact must be a whole number from 1 to 5 (got 6)' },
      { field: ['input', 'visibility'], code: 'VALIDATION', message: 'CONTRACT visibility needs a contractId: it shows the risk to that contract\'s partner' },
    ]);
    const id = await kit.newRisk('atlas');
    await expectUserErrors('pm', 'reassessRisk', { id, version: 1, likelihood: 3, impact: -1 }, [
      { field: ['input', 'impact'], code: 'VALIDATION', message: 'impact must be a whole number from 1 to 5 (got -1)' },
    ]);
    await expectUserErrors('pm', 'changeRiskVisibility', { id, version: 1, visibility: 'CONTRACT' }, [
      { field: ['input', 'visibility'], code: 'VALIDATION', message: 'CONTRACT visibility needs the risk to concern a contract; this one concerns none' },
    ]);
  });

  test('a project\'s new dates must still cover its milestones\' due dates (cancelled ones aside)', async () => {
    const p = await kit.ok('admin', 'createProject', { code: 'DATES-P', name: 'Dates', currency: 'EUR', budget: '1.00', startDate: '2030-01-01', targetEndDate: '2030-12-31' });
    const due = ['2030-02-01', '2030-03-01', '2030-10-01', '2030-11-01', '2030-11-15', '2030-12-01', '2030-12-31'];
    const ms = [];
    for (const [i, dueDate] of due.entries()) ms.push(await kit.ok('admin', 'createMilestone', { projectId: p.id, title: `M${i + 1}`, dueDate }));
    await kit.ok('admin', 'cancelMilestone', { id: ms[6].id, version: 1 }); // M7, due on the last day: cancelled, so out of the count
    await expectUserErrors('admin', 'updateProject', { id: p.id, version: 1, targetEndDate: '2030-09-30' }, [
      { field: ['input', 'targetEndDate'], code: 'VALIDATION', message: 'targetEndDate 2030-09-30 is before the due date of 4 milestones: "M3" (2030-10-01), "M4" (2030-11-01), "M5" (2030-11-15) and 1 more; move or cancel them first' },
    ]);
    await expectUserErrors('admin', 'updateProject', { id: p.id, version: 1, startDate: '2030-02-15', targetEndDate: '2030-11-30' }, [
      { field: ['input', 'startDate'], code: 'VALIDATION', message: 'startDate 2030-02-15 is after the due date of 1 milestone: "M1" (2030-02-01); move or cancel it first' },
      { field: ['input', 'targetEndDate'], code: 'VALIDATION', message: 'targetEndDate 2030-11-30 is before the due date of 1 milestone: "M6" (2030-12-01); move or cancel it first' },
    ]);
    // Moved out of the way, the same change goes through; the cancelled M7 (2030-12-31) stays as it was.
    await kit.ok('admin', 'updateMilestone', { id: ms[0].id, version: 1, dueDate: '2030-02-15' });
    await kit.ok('admin', 'cancelMilestone', { id: ms[5].id, version: 1 });
    const updated = await kit.ok('admin', 'updateProject', { id: p.id, version: 1, startDate: '2030-02-15', targetEndDate: '2030-11-30' });
    expect([updated.startDate, updated.targetEndDate]).toEqual(['2030-02-15', '2030-11-30']);
  });

  test('a contract\'s new dates must still cover its deliverables\' due dates', async () => {
    const contract = await kit.newContract('atlas');
    const { start } = kit.dates('atlas');
    const d = await kit.ok('admin', 'createDeliverable', { contractId: contract, title: 'Cut-over plan', dueDate: addDays(start, 40) });
    expect(d.dueDate).toBe(addDays(start, 40));
    await expectUserErrors('pm', 'updateContract', { id: contract, version: 1, endDate: addDays(start, 39) }, [
      { field: ['input', 'endDate'], code: 'VALIDATION', message: `endDate ${addDays(start, 39)} is before the due date of 1 deliverable: "Cut-over plan" (${addDays(start, 40)}); move it first` },
    ]);
    const updated = await kit.ok('pm', 'updateContract', { id: contract, version: 1, endDate: addDays(start, 40) });
    expect(updated.endDate).toBe(addDays(start, 40));
  });

  test('a child checks its due date holding the parent FOR SHARE, so a concurrent change of the parent\'s dates waits for it', async () => {
    const shared = async (run: () => Promise<unknown>) => {
      app.sql.reset();
      await run();
      return app.sql.statements.filter((s) => / for share$/.test(s)).map((s) => /^select .* from "(\w+)" as/.exec(s)?.[1]);
    };
    const atlas = await kit.project('atlas');
    const { start } = kit.dates('atlas');
    let milestone = '';
    await expect(shared(async () => { milestone = (await kit.ok('pm', 'createMilestone', { projectId: atlas, title: 'Locked', dueDate: addDays(start, 5) })).id; })).resolves.toEqual(['project']);
    await expect(shared(() => kit.ok('pm', 'updateMilestone', { id: milestone, version: 1, dueDate: addDays(start, 6) }))).resolves.toEqual(['project']);
    const contract = await kit.newContract('atlas');
    let deliverable = '';
    await expect(shared(async () => { deliverable = (await kit.ok('pm', 'createDeliverable', { contractId: contract, title: 'Locked', dueDate: addDays(start, 5) })).id; })).resolves.toEqual(['contract']);
    await expect(shared(() => kit.ok('pm', 'updateDeliverable', { id: deliverable, version: 1, dueDate: addDays(start, 6) }))).resolves.toEqual(['contract']);
  });

  test('milestone: progress 0–100, due date within the project', async () => {
    const id = await kit.newMilestone('atlas');
    await expectUserErrors('pm', 'setMilestoneProgress', { id, version: 1, progress: 101 }, [
      { field: ['input', 'progress'], code: 'VALIDATION', message: 'progress must be a whole number from 0 to 100 (got 101)' },
    ]);
    const { start, end } = kit.dates('atlas');
    await expectUserErrors('pm', 'updateMilestone', { id, version: 1, dueDate: addDays(end, 1) }, [
      { field: ['input', 'dueDate'], code: 'VALIDATION', message: `dueDate must be within the project's dates, ${start} to ${end} (got ${addDays(end, 1)})` },
    ]);
    await expectUserErrors('pm', 'updateMilestone', { id, version: 1, title: '   ' }, [
      { field: ['input', 'title'], code: 'VALIDATION', message: 'title must be 1–200 characters (got 0)' },
    ]);
  });

  test('report: period end after start, one line per category', async () => {
    await expectUserErrors('pm', 'createFinancialReport', {
      projectId: await kit.project('atlas'), periodStart: '2034-02-01', periodEnd: '2034-02-01',
      lines: [{ category: 'LABOR', planned: '1', actual: '1', estimateToComplete: '1' }, { category: 'LABOR', planned: '2', actual: '2', estimateToComplete: '2' }],
    }, [
      { field: ['input', 'periodEnd'], code: 'VALIDATION', message: 'periodEnd must be after periodStart (got 2034-02-01 to 2034-02-01)' },
      { field: ['input', 'lines', '1', 'category'], code: 'VALIDATION', message: 'lines: LABOR appears more than once; one line per category' },
    ]);
  });

  test('deliverable: due date within the contract; reasons are required', async () => {
    const [c] = await kit.sql<{ start_date: string; end_date: string }>("select start_date::text, end_date::text from contract where reference = 'ATL-C-001'");
    await expectUserErrors('pm', 'createDeliverable', { contractId: await kit.contract('ATL-C-001'), title: 't', dueDate: addDays(c.start_date, -1) }, [
      { field: ['input', 'dueDate'], code: 'VALIDATION', message: `dueDate must be within the contract's dates, ${c.start_date} to ${c.end_date} (got ${addDays(c.start_date, -1)})` },
    ]);
    const id = await kit.newDeliverable('ATL-C-001', 'SUBMITTED');
    await expectUserErrors('pm', 'rejectDeliverable', { id, version: 1, reason: ' ' }, [
      { field: ['input', 'reason'], code: 'VALIDATION', message: 'reason must be 1–2000 characters (got 0)' },
    ]);
    const contract = await kit.newContract('atlas', 'ACTIVE');
    await expectUserErrors('pm', 'terminateContract', { id: contract, version: 1, reason: '' }, [
      { field: ['input', 'reason'], code: 'VALIDATION', message: 'reason must be 1–2000 characters (got 0)' },
    ]);
  });

  test('users: role valid for the organization kind, email format, password length, unique email', async () => {
    const base = { organizationId: await kit.org('Aurora Capital'), email: 'new.investor@test.example', name: 'N', password: 'long-enough-password' };
    await expectUserErrors('admin', 'createUser', { ...base, role: 'MEMBER' }, [
      { field: ['input', 'role'], code: 'VALIDATION', message: 'role MEMBER is not valid in an INVESTOR organization (valid: VIEWER)' },
    ]);
    await expectUserErrors('admin', 'createUser', { ...base, role: 'VIEWER', email: 'not-an-email', password: 'short' }, [
      { field: ['input', 'email'], code: 'VALIDATION', message: 'email must be an email address such as name@example.com' },
      { field: ['input', 'password'], code: 'VALIDATION', message: 'password must be 12–200 characters' },
    ]);
    await expectUserErrors('admin', 'createUser', { ...base, role: 'VIEWER', email: 'IR@Aurora.example' }, [
      { field: ['input', 'email'], code: 'ALREADY_EXISTS', message: 'A user with this email already exists' },
    ]);
    const pm = await kit.user('pm');
    await expectUserErrors('admin', 'changeUserRole', { id: pm, version: await kit.version('app_user', pm), role: 'MEMBER' }, [
      { field: ['input', 'role'], code: 'VALIDATION', message: 'role MEMBER is not valid in an OPERATOR organization (valid: ADMIN or MANAGER)' },
    ]);
    const admin = await kit.user('admin');
    await expectUserErrors('admin', 'disableUser', { id: admin, version: await kit.version('app_user', admin) }, [
      { field: ['input', 'id'], code: 'VALIDATION', message: 'You cannot disable yourself: ask another administrator' },
    ]);
  });

  test('contracts are with partners, investments come from investors', async () => {
    await expectUserErrors('pm', 'createContract', {
      projectId: await kit.project('atlas'), counterpartyId: await kit.org('Aurora Capital'), reference: 'R', title: 't', kind: 'FIXED_PRICE', value: '1.00',
      startDate: kit.dates('atlas').start, endDate: kit.dates('atlas').end,
    }, [
      { field: ['input', 'counterpartyId'], code: 'VALIDATION', message: 'counterpartyId: Aurora Capital is an INVESTOR organization; contracts are with a VENDOR or SUBCONTRACTOR' },
    ]);
    await expectUserErrors('admin', 'recordInvestment', {
      projectId: await kit.project('atlas'), organizationId: await kit.org('Cobalt Cloud'), committedAmount: '1.00', committedOn: '2030-01-01',
    }, [
      { field: ['input', 'organizationId'], code: 'VALIDATION', message: 'organizationId: Cobalt Cloud is a VENDOR organization; investments come from INVESTOR organizations' },
    ]);
  });
});
