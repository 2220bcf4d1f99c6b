/**
 * Helpers of the write tests: one GraphQL document per mutation (values only
 * ever travel as variables), demo ids read from the database, factories that
 * create fresh objects through the API as the administrator, and checksums of
 * every domain table to prove that a refused mutation changed nothing.
 */
import { randomUUID } from 'node:crypto';
import { addDays, addMonths } from '../../src/core/dates';
import { demoAnchor, demoProjects } from '../../src/db/seed';
import { USERS, type DemoUser, type GqlResult, type TestApp } from '../support/app';

export type ProjectKey = 'atlas' | 'borealis' | 'cirrus';
export const PROJECT_NAMES: Record<ProjectKey, string> = { atlas: 'Atlas', borealis: 'Borealis', cirrus: 'Cirrus' };
export const DEMO_PROJECTS = demoProjects(demoAnchor());

/** What each payload returns, by GraphQL type. */
export const SELECTIONS: Record<string, string> = {
  Project: 'id version status name code currency budget startDate targetEndDate description',
  Investment: 'id version committedAmount committedOn',
  Milestone: 'id version status title description dueDate progress completedAt plannedValue',
  Contract: 'id version status reference title kind value startDate endDate terminationReason',
  Deliverable: 'id version status title description dueDate submissionNote submittedAt rejectionReason decidedAt milestone { id }',
  FinancialReport: 'id version status revision periodStart periodEnd summary publishedAt publishedBy { id } lines { nodes { category planned actual estimateToComplete } }',
  Risk: 'id version status title description category likelihood impact score visibility mitigationPlan owner { id } contract { id }',
  ProjectUpdate: 'id version title body audience author { id }',
  Organization: 'id version name kind',
  User: 'id version email name role disabledAt',
  QaThread: 'id version status private title subjectType',
  QaMessage: 'id version body fromOperator thread { id status }',
  ReportAcknowledgement: 'id version openedAt acknowledgedAt',
};

/** Every mutation of the write workflows: payload field and type. */
export const MUTATIONS = {
  createProject: ['project', 'Project'],
  updateProject: ['project', 'Project'],
  changeProjectStatus: ['project', 'Project'],
  assignProjectManagers: ['project', 'Project'],
  recordInvestment: ['investment', 'Investment'],
  updateInvestment: ['investment', 'Investment'],
  createMilestone: ['milestone', 'Milestone'],
  updateMilestone: ['milestone', 'Milestone'],
  setMilestoneProgress: ['milestone', 'Milestone'],
  changeMilestoneStatus: ['milestone', 'Milestone'],
  cancelMilestone: ['milestone', 'Milestone'],
  createContract: ['contract', 'Contract'],
  updateContract: ['contract', 'Contract'],
  activateContract: ['contract', 'Contract'],
  suspendContract: ['contract', 'Contract'],
  resumeContract: ['contract', 'Contract'],
  completeContract: ['contract', 'Contract'],
  terminateContract: ['contract', 'Contract'],
  createDeliverable: ['deliverable', 'Deliverable'],
  updateDeliverable: ['deliverable', 'Deliverable'],
  startDeliverable: ['deliverable', 'Deliverable'],
  submitDeliverable: ['deliverable', 'Deliverable'],
  acceptDeliverable: ['deliverable', 'Deliverable'],
  rejectDeliverable: ['deliverable', 'Deliverable'],
  createFinancialReport: ['financialReport', 'FinancialReport'],
  updateFinancialReport: ['financialReport', 'FinancialReport'],
  publishFinancialReport: ['financialReport', 'FinancialReport'],
  restateFinancialReport: ['financialReport', 'FinancialReport'],
  deleteFinancialReport: ['deletedFinancialReportId', null],
  createRisk: ['risk', 'Risk'],
  raiseRisk: ['risk', 'Risk'],
  updateRisk: ['risk', 'Risk'],
  reassessRisk: ['risk', 'Risk'],
  changeRiskStatus: ['risk', 'Risk'],
  changeRiskVisibility: ['risk', 'Risk'],
  assignRiskOwner: ['risk', 'Risk'],
  postProjectUpdate: ['projectUpdate', 'ProjectUpdate'],
  editProjectUpdate: ['projectUpdate', 'ProjectUpdate'],
  createOrganization: ['organization', 'Organization'],
  createUser: ['user', 'User'],
  changeUserRole: ['user', 'User'],
  disableUser: ['user', 'User'],
  askQuestion: ['thread', 'QaThread'],
  postMessage: ['message', 'QaMessage'],
  publishThread: ['thread', 'QaThread'],
  closeThread: ['thread', 'QaThread'],
  markReportOpened: ['acknowledgement', 'ReportAcknowledgement'],
  acknowledgeReport: ['acknowledgement', 'ReportAcknowledgement'],
  remindReport: ['report', 'FinancialReport'],
} as const satisfies Record<string, readonly [string, string | null]>;
export type MutationName = keyof typeof MUTATIONS;
export const MUTATION_NAMES = Object.keys(MUTATIONS) as MutationName[];

const capital = (s: string) => s[0].toUpperCase() + s.slice(1);

export function documentOf(name: MutationName): string {
  const [key, type] = MUTATIONS[name];
  const selection = type ? `${key} { ${SELECTIONS[type]} }` : key;
  return `mutation ${capital(name)}($input: ${capital(name)}Input!) { ${name}(input: $input) { ${selection} userErrors { field message code } } }`;
}

export interface UserErrorValue { field: string[] | null; message: string; code: string }
export interface MutationOutcome {
  res: GqlResult;
  /** The changed object (or deleted id); null on failure. */
  object: any;
  userErrors: UserErrorValue[];
  /** extensions.code of the first top-level error, if any. */
  code: string | undefined;
}

/** Global ids are base64url("Type:uuid"); tests read them to query the database. */
export function uuidOf(globalId: string): string {
  return Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
}

export function gid(type: string, uuid: string): string {
  return Buffer.from(`${type}:${uuid}`, 'utf8').toString('base64url');
}

export const randomGid = (type: string) => gid(type, randomUUID());

/** Every domain table, hashed row by row: equal before and after means nothing changed anywhere. */
export const DOMAIN_TABLES = [
  'organization', 'app_user', 'api_token', 'project', 'project_manager', 'investment', 'milestone', 'contract', 'deliverable',
  'financial_report', 'financial_report_line', 'risk', 'risk_assessment', 'project_update', 'audit_event',
  'qa_thread', 'qa_message', 'report_acknowledgement', 'deliverable_submission', 'deliverable_review',
  'document_folder', 'project_document', 'file', 'file_chunk',
];

/**
 * The lines of `newReport`: labor, and a line of no spend and nothing left for every other category the demo's
 * latest reports still estimate, so that publishing one never drops a category from the forecast
 * (docs/state-machines.md#partial-reports) and its estimate to complete is LABOR's 500.00 alone.
 */
export const NEW_REPORT_LINES = [
  { category: 'LABOR', planned: '100.00', actual: '90.00', estimateToComplete: '500.00' },
  ...['VENDORS', 'INFRASTRUCTURE', 'OTHER'].map((category) => ({ category, planned: '0.00', actual: '0.00', estimateToComplete: '0.00' })),
];

export class WriteKit {
  private readonly tokens = new Map<string, string>();
  private seq = 0;

  constructor(readonly app: TestApp) {}

  /** A number unique within the test file, for codes, emails and periods. */
  next(): number {
    this.seq += 1;
    return this.seq;
  }

  async token(user: DemoUser | string): Promise<string> {
    const email = (USERS as Record<string, string>)[user] ?? user;
    let token = this.tokens.get(email);
    if (!token) {
      token = await this.app.login(email);
      this.tokens.set(email, token);
    }
    return token;
  }

  async run(user: DemoUser | string, name: MutationName, input: Record<string, unknown>): Promise<MutationOutcome> {
    const res = await this.app.gql(documentOf(name), { input }, await this.token(user));
    const payload = res.data?.[name] ?? null;
    return { res, object: payload ? payload[MUTATIONS[name][0]] : null, userErrors: payload?.userErrors ?? [], code: res.errors?.[0]?.extensions?.code };
  }

  /** Runs and insists on success; returns the object. */
  async ok(user: DemoUser | string, name: MutationName, input: Record<string, unknown>): Promise<any> {
    const out = await this.run(user, name, input);
    if (out.res.errors || out.userErrors.length || !out.object) {
      throw new Error(`${name} as ${user} failed: ${JSON.stringify(out.res.errors ?? out.userErrors)}`);
    }
    return out.object;
  }

  async sql<T = any>(query: string, params: unknown[] = []): Promise<T[]> {
    return this.app.orm.em.fork().getConnection().execute(query, params as any[]) as Promise<T[]>;
  }

  /**
   * Per domain table, its row count and the newest transaction that wrote one of its rows (max xmin), in one
   * statement: any committed insert or update writes a row version with a newer xmin, and a delete lowers
   * the count (or, with an insert, also moves xmin), so equal values before and after mean nothing was
   * written — a stricter test than comparing contents (an update to the same values counts too), and a
   * scan without text conversion, sorting or hashing of every row (file chunks included).
   */
  async checksums(): Promise<Record<string, string>> {
    const query = DOMAIN_TABLES.map(
      (table) => `select '${table}' as t, count(*)::text || ':' || coalesce(max(xmin::text::bigint), 0)::text as sum from "${table}"`,
    ).join(' union all ');
    const rows = await this.sql<{ t: string; sum: string }>(query);
    return Object.fromEntries(rows.map((r) => [r.t, r.sum]));
  }

  async auditCount(): Promise<number> {
    const [row] = await this.sql<{ n: string }>('select count(*)::text as n from audit_event');
    return Number(row.n);
  }

  // -- demo ids --------------------------------------------------------------

  async idOf(table: string, type: string, where: string, params: unknown[]): Promise<string> {
    const rows = await this.sql<{ id: string }>(`select id from "${table}" where ${where}`, params);
    if (rows.length !== 1) throw new Error(`expected one ${table} where ${where} ${JSON.stringify(params)}, got ${rows.length}`);
    return gid(type, rows[0].id);
  }

  project(key: ProjectKey) {
    return this.idOf('project', 'Project', 'name = ?', [PROJECT_NAMES[key]]);
  }
  contract(reference: string) {
    return this.idOf('contract', 'Contract', 'reference = ?', [reference]);
  }
  milestone(title: string) {
    return this.idOf('milestone', 'Milestone', 'title = ?', [title]);
  }
  deliverable(title: string) {
    return this.idOf('deliverable', 'Deliverable', 'title = ?', [title]);
  }
  risk(title: string) {
    return this.idOf('risk', 'Risk', 'title = ?', [title]);
  }
  user(who: DemoUser) {
    return this.idOf('app_user', 'User', 'email = ?', [USERS[who]]);
  }
  org(name: string) {
    return this.idOf('organization', 'Organization', 'name = ?', [name]);
  }
  /** The demo investment (the first one) of an investor in a project. */
  async investment(project: ProjectKey, orgName: string) {
    return this.idOf(
      'investment', 'Investment',
      `id = (select id from investment where project_id = (select id from project where name = ?)
        and organization_id = (select id from organization where name = ?) order by created_at, id limit 1)`,
      [PROJECT_NAMES[project], orgName],
    );
  }

  /** The current version of an object, from the database. */
  async version(table: string, globalId: string): Promise<number> {
    const [row] = await this.sql<{ version: number }>(`select version from "${table}" where id = ?`, [uuidOf(globalId)]);
    return row.version;
  }

  async status(table: string, globalId: string): Promise<string> {
    const [row] = await this.sql<{ status: string }>(`select status::text as status from "${table}" where id = ?`, [uuidOf(globalId)]);
    return row.status;
  }

  /** Puts an object in a state directly: test set-up for state tables, not a code path under test. */
  async setStatus(table: string, globalId: string, status: string): Promise<void> {
    await this.sql(`update "${table}" set status = ? where id = ?`, [status, uuidOf(globalId)]);
  }

  // -- factories (as the administrator, through the API) -----------------------

  dates(project: ProjectKey) {
    const p = DEMO_PROJECTS[project];
    return { start: p.startDate, end: p.targetEndDate };
  }

  async newMilestone(project: ProjectKey, status = 'PLANNED') {
    const m = await this.ok('admin', 'createMilestone', {
      projectId: await this.project(project), title: `Milestone ${this.next()}`, dueDate: addDays(this.dates(project).start, 30), plannedValue: '1000.00',
    });
    if (status !== 'PLANNED') await this.setStatus('milestone', m.id, status);
    return m.id as string;
  }

  async newContract(project: ProjectKey, status = 'DRAFT', counterparty = 'Cobalt Cloud') {
    const { start, end } = this.dates(project);
    const c = await this.ok('admin', 'createContract', {
      projectId: await this.project(project), counterpartyId: await this.org(counterparty), reference: `T-${this.next()}`, title: 'Test contract',
      kind: 'FIXED_PRICE', value: '1000.00', startDate: start, endDate: end,
    });
    if (status !== 'DRAFT') await this.setStatus('contract', c.id, status);
    return c.id as string;
  }

  /** A deliverable on an existing contract (by reference), in the given state. */
  async newDeliverable(contractRef: string, status = 'PLANNED') {
    const [c] = await this.sql<{ start_date: string; end_date: string }>('select start_date::text, end_date::text from contract where reference = ?', [contractRef]);
    const d = await this.ok('admin', 'createDeliverable', {
      contractId: await this.contract(contractRef), title: `Deliverable ${this.next()}`, dueDate: addDays(c.start_date, 10),
    });
    if (status !== 'PLANNED') await this.setStatus('deliverable', d.id, status);
    return d.id as string;
  }

  /** A report with one line for a period of its own (far from the demo's), in the given state. */
  async newReport(project: ProjectKey, status = 'DRAFT') {
    const periodStart = addMonths('2040-01-01', this.next());
    const r = await this.ok('admin', 'createFinancialReport', {
      projectId: await this.project(project), periodStart, periodEnd: addDays(addMonths(periodStart, 1), -1), summary: 'Test period',
      lines: NEW_REPORT_LINES,
    });
    if (status !== 'DRAFT') await this.setStatus('financial_report', r.id, status);
    return r.id as string;
  }

  async newRisk(project: ProjectKey, status = 'OPEN', contractRef: string | null = null) {
    const r = await this.ok('admin', 'createRisk', {
      projectId: await this.project(project), contractId: contractRef ? await this.contract(contractRef) : null, title: `Risk ${this.next()}`,
      category: 'TECHNICAL', likelihood: 2, impact: 3,
    });
    if (status !== 'OPEN') await this.setStatus('risk', r.id, status);
    return r.id as string;
  }

  async newUpdate(project: ProjectKey, author: DemoUser) {
    const u = await this.ok(author, 'postProjectUpdate', { projectId: await this.project(project), title: `Update ${this.next()}`, body: 'Body.', audience: 'STAKEHOLDERS' });
    return u.id as string;
  }

  /**
   * A user with the demo password. Inserted directly (reusing a demo user's
   * hash): password hashing is deliberately slow and createUser has its own tests.
   */
  async newUser(orgName: string, role: string) {
    const id = randomUUID();
    const email = `user${this.next()}.${id.slice(0, 8)}@test.example`;
    await this.sql(
      `insert into app_user (id, created_at, updated_at, version, email, name, password_hash, role, organization_id)
       select ?, now(), now(), 1, ?, 'Test User', password_hash, ?, (select id from organization where name = ?) from app_user where email = ?`,
      [id, email, role, orgName, USERS.admin],
    );
    return { id: gid('User', id), email };
  }
}
