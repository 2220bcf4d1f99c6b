/**
 * The demo data of the README, the tests and reviewers. Keep it exactly so:
 * tests assert what each demo user sees.
 *
 * Dates are relative to the first day of the current month (the anchor), so
 * the demo always looks current: past milestones, six past monthly reports,
 * future go-lives. Amounts are exact decimal strings.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '../access/auth';
import { addDays, addMonths, monthEnd, monthStart, today } from '../core/dates';
import { Contract, ContractKind, ContractStatus } from '../model/contract.entity';
import { Deliverable, DeliverableDecision, DeliverableReview, DeliverableStatus, DeliverableSubmission } from '../model/deliverable.entity';
import { FinancialReport, FinancialReportLine, ReportStatus, SpendCategory } from '../model/financial-report.entity';
import { Organization, OrganizationKind, User, UserRole } from '../model/identity.entity';
import { Investment } from '../model/investment.entity';
import { Milestone, MilestoneStatus } from '../model/milestone.entity';
import { Project, ProjectStatus } from '../model/project.entity';
import { Risk, RiskAssessment, RiskCategory, RiskStatus, RiskVisibility } from '../model/risk.entity';
import { ProjectUpdate, UpdateAudience } from '../model/update.entity';

export const DEMO_PASSWORD = 'vantage-demo';

export const DEMO_USERS = [
  { email: 'admin@northwind.example', name: 'Nora Admin', org: 'northwind', role: UserRole.ADMIN, what: 'operator administrator: everything' },
  { email: 'pm@northwind.example', name: 'Paul Manager', org: 'northwind', role: UserRole.MANAGER, what: 'operator manager of Atlas and Borealis' },
  { email: 'ir@aurora.example', name: 'Iris Relations', org: 'aurora', role: UserRole.VIEWER, what: 'investor (Aurora Capital): Atlas and Borealis' },
  { email: 'analyst@beacon.example', name: 'Ben Analyst', org: 'beacon', role: UserRole.VIEWER, what: 'investor (Beacon Ventures): Borealis and Cirrus' },
  { email: 'lead@cobalt.example', name: 'Cara Lead', org: 'cobalt', role: UserRole.MEMBER, what: 'vendor (Cobalt Cloud): Atlas' },
  { email: 'qa@delta.example', name: 'Dan QA', org: 'delta', role: UserRole.MEMBER, what: 'subcontractor (Delta QA): Borealis' },
] as const;

const ORGS = {
  northwind: { name: 'Northwind Digital', kind: OrganizationKind.OPERATOR },
  aurora: { name: 'Aurora Capital', kind: OrganizationKind.INVESTOR },
  beacon: { name: 'Beacon Ventures', kind: OrganizationKind.INVESTOR },
  cobalt: { name: 'Cobalt Cloud', kind: OrganizationKind.VENDOR },
  delta: { name: 'Delta QA', kind: OrganizationKind.SUBCONTRACTOR },
} as const;
type OrgKey = keyof typeof ORGS;

/** First day of the month the demo was seeded in. */
export function demoAnchor(on = today()): string {
  return monthStart(on);
}

type ProjectKey = 'atlas' | 'borealis' | 'cirrus';

export function demoProjects(anchor: string) {
  return {
    atlas: { code: 'PRJ-2025-01', name: 'Atlas', status: ProjectStatus.ACTIVE, currency: 'EUR', budget: '1200000.00', startDate: addMonths(anchor, -8), targetEndDate: addMonths(anchor, 10), description: 'Core banking platform modernisation.' },
    borealis: { code: 'PRJ-2025-02', name: 'Borealis', status: ProjectStatus.ACTIVE, currency: 'USD', budget: '850000.00', startDate: addMonths(anchor, -7), targetEndDate: addMonths(anchor, 8), description: 'Customer data platform and analytics.' },
    cirrus: { code: 'PRJ-2026-01', name: 'Cirrus', status: ProjectStatus.PLANNED, currency: 'EUR', budget: '400000.00', startDate: addMonths(anchor, 1), targetEndDate: addMonths(anchor, 13), description: 'Cloud migration of the document archive.' },
  } satisfies Record<ProjectKey, unknown>;
}

export const DEMO_INVESTMENTS: { project: ProjectKey; org: OrgKey; amount: string; monthsAgo: number }[] = [
  { project: 'atlas', org: 'aurora', amount: '700000.00', monthsAgo: 9 },
  { project: 'borealis', org: 'aurora', amount: '300000.00', monthsAgo: 8 },
  { project: 'borealis', org: 'beacon', amount: '450000.00', monthsAgo: 8 },
  { project: 'cirrus', org: 'beacon', amount: '400000.00', monthsAgo: 1 },
];

export const DEMO_CONTRACTS = [
  { key: 'atlasCobalt', project: 'atlas', org: 'cobalt', reference: 'ATL-C-001', title: 'Platform engineering', kind: ContractKind.FIXED_PRICE, value: '240000.00', status: ContractStatus.ACTIVE },
  { key: 'atlasDelta', project: 'atlas', org: 'delta', reference: 'ATL-C-002', title: 'Load testing (in negotiation)', kind: ContractKind.TIME_AND_MATERIALS, value: '30000.00', status: ContractStatus.DRAFT },
  { key: 'borealisDelta', project: 'borealis', org: 'delta', reference: 'BOR-C-001', title: 'Quality assurance', kind: ContractKind.TIME_AND_MATERIALS, value: '120000.00', status: ContractStatus.ACTIVE },
  { key: 'cirrusCobalt', project: 'cirrus', org: 'cobalt', reference: 'CIR-C-001', title: 'Archive migration tooling', kind: ContractKind.FIXED_PRICE, value: '90000.00', status: ContractStatus.DRAFT },
] as const;
type ContractKey = (typeof DEMO_CONTRACTS)[number]['key'];

/**
 * Rounds before a deliverable's current one, by title: each was submitted
 * (note) and rejected (reason) before the submission the deliverable now
 * carries. The demo shows a rejection, a resubmission and then an acceptance
 * (with a comment), and a resubmission waiting for review.
 */
export const DEMO_EARLIER_ROUNDS: Record<string, { note: string; reason: string }[]> = {
  'MVP release 1.0': [{ note: 'Release candidate 1.0-rc1.', reason: 'Release notes are missing and two blocker defects are still open.' }],
  'Migration scripts': [{ note: 'Scripts attached.', reason: 'No dry-run evidence: attach the dry-run report.' }],
};

/** The comment with the acceptance of the current round, by title. */
export const DEMO_ACCEPTANCE_COMMENTS: Record<string, string> = {
  'MVP release 1.0': 'Blockers closed and release notes complete.',
};

/** Milestones: [title, due (months, days from anchor), status, progress, plannedValue]. */
export const DEMO_MILESTONES: Record<ProjectKey, [string, number, number, MilestoneStatus, number, string][]> = {
  atlas: [
    ['Discovery and architecture', -6, 14, MilestoneStatus.DONE, 100, '120000.00'],
    ['Core platform MVP', -3, 14, MilestoneStatus.DONE, 100, '300000.00'],
    ['Data migration', -1, 9, MilestoneStatus.IN_PROGRESS, 60, '180000.00'],
    ['Partner integrations', 2, 14, MilestoneStatus.IN_PROGRESS, 30, '250000.00'],
    ['User acceptance testing', 6, 0, MilestoneStatus.PLANNED, 0, '150000.00'],
    ['Go-live', 9, 0, MilestoneStatus.PLANNED, 0, '100000.00'],
  ],
  borealis: [
    ['Data model and ingestion', -5, 9, MilestoneStatus.DONE, 100, '150000.00'],
    ['Analytics warehouse', -2, 19, MilestoneStatus.DONE, 100, '200000.00'],
    ['Consent management', -1, 4, MilestoneStatus.IN_PROGRESS, 40, '90000.00'],
    ['Reporting dashboards', 1, 19, MilestoneStatus.IN_PROGRESS, 20, '160000.00'],
    ['Security review', 4, 0, MilestoneStatus.PLANNED, 0, '60000.00'],
    ['Production rollout', 7, 14, MilestoneStatus.PLANNED, 0, '120000.00'],
  ],
  cirrus: [
    ['Inventory of archives', 2, 0, MilestoneStatus.PLANNED, 0, '40000.00'],
    ['Target architecture', 3, 14, MilestoneStatus.PLANNED, 0, '50000.00'],
    ['Migration tooling', 5, 0, MilestoneStatus.PLANNED, 0, '90000.00'],
    ['Pilot migration', 7, 0, MilestoneStatus.PLANNED, 0, '70000.00'],
    ['Bulk migration', 10, 0, MilestoneStatus.PLANNED, 0, '100000.00'],
    ['Decommissioning', 12, 14, MilestoneStatus.PLANNED, 0, '50000.00'],
  ],
};

/** Deliverables: [contract, title, milestone index or null, due (months, days), status, note, rejection]. */
export const DEMO_DELIVERABLES: [ContractKey, string, number | null, number, number, DeliverableStatus, string | null, string | null][] = [
  ['atlasCobalt', 'Architecture decision records', 0, -6, 10, DeliverableStatus.ACCEPTED, 'All ADRs in the wiki.', null],
  ['atlasCobalt', 'MVP release 1.0', 1, -3, 10, DeliverableStatus.ACCEPTED, 'Tagged v1.0.0.', null],
  ['atlasCobalt', 'Migration scripts', 2, -1, 5, DeliverableStatus.SUBMITTED, 'Scripts and dry-run report attached.', null],
  ['atlasCobalt', 'Reconciliation report', 2, -1, 7, DeliverableStatus.REJECTED, 'First reconciliation run.', 'Totals do not match the ledger for March; rerun with the corrected FX table.'],
  ['atlasCobalt', 'Payments API adapter', 3, 2, 0, DeliverableStatus.IN_PROGRESS, null, null],
  ['atlasCobalt', 'UAT test plan', 4, 5, 14, DeliverableStatus.PLANNED, null, null],
  ['atlasDelta', 'Load test scenarios', 4, 5, 0, DeliverableStatus.PLANNED, null, null],
  ['borealisDelta', 'Ingestion test suite', 0, -5, 5, DeliverableStatus.ACCEPTED, 'Suite green on staging.', null],
  ['borealisDelta', 'Warehouse regression pack', 1, -2, 14, DeliverableStatus.REJECTED, 'Regression pack v1.', 'Coverage of the billing marts is missing.'],
  ['borealisDelta', 'Consent flow test report', 2, -1, 1, DeliverableStatus.SUBMITTED, 'Report attached.', null],
  ['borealisDelta', 'Dashboard accessibility audit', 3, 1, 14, DeliverableStatus.IN_PROGRESS, null, null],
  ['borealisDelta', 'Penetration test coordination', 4, 3, 20, DeliverableStatus.PLANNED, null, null],
  ['cirrusCobalt', 'Archive scanner', 2, 4, 20, DeliverableStatus.PLANNED, null, null],
  ['cirrusCobalt', 'Migration runbook', 3, 6, 20, DeliverableStatus.PLANNED, null, null],
];

type Line = [SpendCategory, string, string, string];
/**
 * Monthly reports of the six months before the anchor (index 0 = 6 months ago).
 * Each revision: lines [category, planned, actual, estimateToComplete].
 */
export interface DemoReport { project: ProjectKey; month: number; revision: number; status: ReportStatus; summary: string; lines: Line[] }

const L = SpendCategory;
export const DEMO_REPORTS: DemoReport[] = [
  // Atlas: months 0..4 published, month 2 restated (rev 1 SUPERSEDED, rev 2 PUBLISHED), month 5 DRAFT.
  // A category leaves the series only once its estimate to complete is 0.00 (Atlas's licences, paid for the
  // year in month 1; Borealis's one-off costs of month 1), as publishing requires (docs/state-machines.md#partial-reports).
  // The month 5 drafts leave out categories still estimated: publishing them asks for confirmation.
  { project: 'atlas', month: 0, revision: 1, status: ReportStatus.PUBLISHED, summary: 'Discovery completed on plan.', lines: [[L.LABOR, '60000.00', '58000.00', '900000.00'], [L.VENDORS, '20000.00', '21000.00', '200000.00'], [L.INFRASTRUCTURE, '5000.00', '4500.00', '60000.00']] },
  { project: 'atlas', month: 1, revision: 1, status: ReportStatus.PUBLISHED, summary: 'Build started.', lines: [[L.LABOR, '62000.00', '64000.00', '840000.00'], [L.VENDORS, '20000.00', '20000.00', '180000.00'], [L.INFRASTRUCTURE, '5000.00', '6200.00', '55000.00'], [L.LICENSES, '12000.00', '12000.00', '0.00']] },
  { project: 'atlas', month: 2, revision: 1, status: ReportStatus.SUPERSEDED, summary: 'MVP build at full speed.', lines: [[L.LABOR, '62000.00', '61000.00', '780000.00'], [L.VENDORS, '25000.00', '24000.00', '160000.00'], [L.INFRASTRUCTURE, '5000.00', '5100.00', '50000.00']] },
  { project: 'atlas', month: 2, revision: 2, status: ReportStatus.PUBLISHED, summary: 'Restated: a vendor invoice of this month was booked late.', lines: [[L.LABOR, '62000.00', '61000.00', '780000.00'], [L.VENDORS, '25000.00', '31500.00', '155000.00'], [L.INFRASTRUCTURE, '5000.00', '5100.00', '50000.00']] },
  { project: 'atlas', month: 3, revision: 1, status: ReportStatus.PUBLISHED, summary: 'MVP released.', lines: [[L.LABOR, '65000.00', '67000.00', '715000.00'], [L.VENDORS, '25000.00', '26000.00', '130000.00'], [L.INFRASTRUCTURE, '6000.00', '5800.00', '45000.00']] },
  { project: 'atlas', month: 4, revision: 1, status: ReportStatus.PUBLISHED, summary: 'Migration under way; slight slip.', lines: [[L.LABOR, '65000.00', '70500.00', '650000.00'], [L.VENDORS, '25000.00', '24000.00', '110000.00'], [L.INFRASTRUCTURE, '6000.00', '6000.00', '40000.00'], [L.OTHER, '2000.00', '1250.50', '5000.00']] },
  { project: 'atlas', month: 5, revision: 1, status: ReportStatus.DRAFT, summary: 'Draft: month close in progress.', lines: [[L.LABOR, '65000.00', '66000.00', '590000.00'], [L.VENDORS, '25000.00', '25000.00', '90000.00']] },
  // Borealis: months 0..4 published, month 5 DRAFT.
  { project: 'borealis', month: 0, revision: 1, status: ReportStatus.PUBLISHED, summary: 'Kick-off.', lines: [[L.LABOR, '40000.00', '38000.00', '700000.00'], [L.VENDORS, '10000.00', '9000.00', '90000.00']] },
  { project: 'borealis', month: 1, revision: 1, status: ReportStatus.PUBLISHED, summary: 'Ingestion pipelines running.', lines: [[L.LABOR, '42000.00', '43000.00', '655000.00'], [L.VENDORS, '10000.00', '10000.00', '80000.00'], [L.OTHER, '3000.00', '2999.99', '0.00']] },
  { project: 'borealis', month: 2, revision: 1, status: ReportStatus.PUBLISHED, summary: 'Warehouse schema done.', lines: [[L.LABOR, '42000.00', '41000.00', '610000.00'], [L.VENDORS, '10000.00', '12500.00', '70000.00']] },
  { project: 'borealis', month: 3, revision: 1, status: ReportStatus.PUBLISHED, summary: 'Warehouse live.', lines: [[L.LABOR, '45000.00', '46000.00', '565000.00'], [L.VENDORS, '10000.00', '10000.00', '60000.00'], [L.INFRASTRUCTURE, '8000.00', '7600.00', '40000.00']] },
  { project: 'borealis', month: 4, revision: 1, status: ReportStatus.PUBLISHED, summary: 'Consent management behind plan.', lines: [[L.LABOR, '45000.00', '49000.00', '520000.00'], [L.VENDORS, '10000.00', '11000.00', '50000.00'], [L.INFRASTRUCTURE, '8000.00', '8000.00', '32000.00']] },
  { project: 'borealis', month: 5, revision: 1, status: ReportStatus.DRAFT, summary: 'Draft.', lines: [[L.LABOR, '45000.00', '44000.00', '480000.00']] },
];

/** Risks: [project, title, category, likelihood, impact, status, visibility, contract, assessments [l, i] oldest first (the last equals the current)]. */
export const DEMO_RISKS: [ProjectKey, string, RiskCategory, number, number, RiskStatus, RiskVisibility, ContractKey | null, [number, number][]][] = [
  ['atlas', 'Key architect may leave', RiskCategory.SCHEDULE, 3, 4, RiskStatus.OPEN, RiskVisibility.INTERNAL, null, [[2, 4], [3, 4]]],
  ['atlas', 'Payments API sandbox unstable', RiskCategory.VENDOR, 4, 3, RiskStatus.MITIGATING, RiskVisibility.CONTRACT, 'atlasCobalt', [[3, 3], [4, 3]]],
  ['atlas', 'Budget pressure from FX rates', RiskCategory.FINANCIAL, 3, 5, RiskStatus.OPEN, RiskVisibility.INVESTORS, null, [[2, 5], [3, 5]]],
  ['atlas', 'Regulatory approval of the go-live', RiskCategory.COMPLIANCE, 2, 5, RiskStatus.OPEN, RiskVisibility.STAKEHOLDERS, null, [[3, 5], [2, 5]]],
  ['atlas', 'Legacy data quality', RiskCategory.TECHNICAL, 2, 2, RiskStatus.CLOSED, RiskVisibility.STAKEHOLDERS, null, [[4, 3], [2, 2]]],
  ['atlas', 'Load test vendor not yet contracted', RiskCategory.VENDOR, 2, 3, RiskStatus.OPEN, RiskVisibility.CONTRACT, 'atlasDelta', [[2, 3]]],
  ['borealis', 'Consent law changes', RiskCategory.COMPLIANCE, 3, 4, RiskStatus.OPEN, RiskVisibility.STAKEHOLDERS, null, [[2, 4], [3, 4]]],
  ['borealis', 'Test environment shortages', RiskCategory.TECHNICAL, 3, 3, RiskStatus.OPEN, RiskVisibility.CONTRACT, 'borealisDelta', [[3, 3]]],
  ['borealis', 'Cost overrun on vendors', RiskCategory.FINANCIAL, 4, 4, RiskStatus.MITIGATING, RiskVisibility.INVESTORS, null, [[3, 4], [4, 4]]],
  ['borealis', 'Team morale', RiskCategory.OTHER, 2, 2, RiskStatus.OPEN, RiskVisibility.INTERNAL, null, [[2, 2]]],
  ['borealis', 'Data breach', RiskCategory.SECURITY, 1, 5, RiskStatus.OPEN, RiskVisibility.STAKEHOLDERS, null, [[2, 5], [1, 5]]],
  ['cirrus', 'Archive formats unknown', RiskCategory.TECHNICAL, 4, 3, RiskStatus.OPEN, RiskVisibility.INVESTORS, null, [[4, 3]]],
  ['cirrus', 'Migration tooling vendor capacity', RiskCategory.VENDOR, 3, 3, RiskStatus.OPEN, RiskVisibility.CONTRACT, 'cirrusCobalt', [[3, 3]]],
  ['cirrus', 'Storage costs', RiskCategory.FINANCIAL, 2, 3, RiskStatus.OPEN, RiskVisibility.STAKEHOLDERS, null, [[2, 3]]],
  ['cirrus', 'Start may slip', RiskCategory.SCHEDULE, 3, 2, RiskStatus.OPEN, RiskVisibility.INTERNAL, null, [[3, 2]]],
];

export const DEMO_UPDATES: [ProjectKey, string, UpdateAudience][] = [
  ['atlas', 'Quarterly investor letter', UpdateAudience.INVESTORS],
  ['atlas', 'Integration kick-off for partners', UpdateAudience.PARTNERS],
  ['atlas', 'MVP released', UpdateAudience.STAKEHOLDERS],
  ['borealis', 'Budget outlook', UpdateAudience.INVESTORS],
  ['borealis', 'Test window schedule', UpdateAudience.PARTNERS],
  ['borealis', 'Warehouse live', UpdateAudience.STAKEHOLDERS],
  ['cirrus', 'Investment committee approval', UpdateAudience.INVESTORS],
  ['cirrus', 'Vendor selection', UpdateAudience.PARTNERS],
  ['cirrus', 'Project announced', UpdateAudience.STAKEHOLDERS],
];

export async function isEmpty(em: EntityManager): Promise<boolean> {
  return (await em.count(Organization, {})) === 0;
}

/** Writes the demo data in one transaction. */
export async function seedDemo(rootEm: EntityManager, on = today()): Promise<void> {
  const anchor = demoAnchor(on);
  await rootEm.fork().transactional(async (em) => {
    const orgs = {} as Record<OrgKey, Organization>;
    for (const [key, o] of Object.entries(ORGS) as [OrgKey, (typeof ORGS)[OrgKey]][]) {
      orgs[key] = em.create(Organization, { name: o.name, kind: o.kind } as any);
    }
    const users = {} as Record<string, User>;
    for (const u of DEMO_USERS) {
      users[u.email] = em.create(User, { email: u.email, name: u.name, role: u.role, organization: orgs[u.org], passwordHash: await hashPassword(DEMO_PASSWORD) } as any);
    }
    const admin = users['admin@northwind.example'];
    const pm = users['pm@northwind.example'];

    const projects = {} as Record<ProjectKey, Project>;
    for (const [key, p] of Object.entries(demoProjects(anchor)) as [ProjectKey, ReturnType<typeof demoProjects>[ProjectKey]][]) {
      projects[key] = em.create(Project, p as any);
    }
    projects.atlas.managers.add(pm);
    projects.borealis.managers.add(pm);
    projects.cirrus.managers.add(admin);

    for (const i of DEMO_INVESTMENTS) {
      em.create(Investment, { project: projects[i.project], organization: orgs[i.org], committedAmount: i.amount, committedOn: addMonths(anchor, -i.monthsAgo) } as any);
    }

    const contracts = {} as Record<ContractKey, Contract>;
    for (const c of DEMO_CONTRACTS) {
      const p = projects[c.project];
      contracts[c.key] = em.create(Contract, {
        project: p, counterparty: orgs[c.org], reference: c.reference, title: c.title, kind: c.kind, value: c.value,
        status: c.status, startDate: p.startDate < anchor ? addMonths(p.startDate, 1) : p.startDate, endDate: p.targetEndDate,
      } as any);
    }

    const milestones = {} as Record<ProjectKey, Milestone[]>;
    for (const [key, rows] of Object.entries(DEMO_MILESTONES) as [ProjectKey, (typeof DEMO_MILESTONES)[ProjectKey]][]) {
      milestones[key] = rows.map(([title, months, days, status, progress, plannedValue]) =>
        em.create(Milestone, {
          project: projects[key], title, dueDate: addDays(addMonths(anchor, months), days), status, progress, plannedValue,
          completedAt: status === MilestoneStatus.DONE ? new Date(`${addDays(addMonths(anchor, months), days - 2)}T16:00:00Z`) : null,
        } as any),
      );
    }

    for (const [contractKey, title, mIndex, months, days, status, note, rejection] of DEMO_DELIVERABLES) {
      const contract = contracts[contractKey];
      const projectKey = DEMO_CONTRACTS.find((c) => c.key === contractKey)!.project;
      const due = addDays(addMonths(anchor, months), days);
      const submitted = [DeliverableStatus.SUBMITTED, DeliverableStatus.ACCEPTED, DeliverableStatus.REJECTED].includes(status);
      const decided = status === DeliverableStatus.ACCEPTED || status === DeliverableStatus.REJECTED;
      const earlier = submitted ? DEMO_EARLIER_ROUNDS[title] ?? [] : [];
      const submittedAt = submitted ? new Date(`${addDays(due, -1)}T10:00:00Z`) : null;
      const decidedAt = decided ? new Date(`${due}T15:00:00Z`) : null;
      const deliverable = em.create(Deliverable, {
        project: contract.project, contract, milestone: mIndex === null ? null : milestones[projectKey][mIndex], title, dueDate: due, status,
        submissionNote: note, rejectionReason: rejection, submittedAt, decidedAt, round: submitted ? earlier.length + 1 : 0,
      } as any);
      // The partner's member submits; the project's manager (Cirrus: the administrator) reviews.
      const submitter = users[DEMO_USERS.find((u) => u.org === DEMO_CONTRACTS.find((c) => c.key === contractKey)!.org)!.email];
      const reviewer = projectKey === 'cirrus' ? admin : pm;
      earlier.forEach((r, n) => {
        const back = 8 + 4 * (earlier.length - 1 - n);
        em.create(DeliverableSubmission, { deliverable, round: n + 1, note: r.note, submittedBy: submitter, submittedAt: new Date(`${addDays(due, -back)}T10:00:00Z`) } as any);
        em.create(DeliverableReview, {
          deliverable, round: n + 1, decision: DeliverableDecision.REJECTED, comment: r.reason, reviewedBy: reviewer, reviewedAt: new Date(`${addDays(due, -back + 2)}T15:00:00Z`),
        } as any);
      });
      if (submittedAt) {
        em.create(DeliverableSubmission, { deliverable, round: earlier.length + 1, note, submittedBy: submitter, submittedAt } as any);
      }
      if (decidedAt) {
        em.create(DeliverableReview, {
          deliverable, round: earlier.length + 1, decision: status as unknown as DeliverableDecision,
          comment: status === DeliverableStatus.REJECTED ? rejection : DEMO_ACCEPTANCE_COMMENTS[title] ?? null, reviewedBy: reviewer, reviewedAt: decidedAt,
        } as any);
      }
    }

    for (const r of DEMO_REPORTS) {
      const periodStart = addMonths(anchor, r.month - 6);
      const published = r.status !== ReportStatus.DRAFT;
      const report = em.create(FinancialReport, {
        project: projects[r.project], periodStart, periodEnd: monthEnd(periodStart), revision: r.revision, status: r.status, summary: r.summary,
        publishedAt: published ? new Date(`${addDays(monthEnd(periodStart), 10 + r.revision * 20)}T09:00:00Z`) : null,
        publishedBy: published ? pm : null,
      } as any);
      for (const [category, planned, actual, estimateToComplete] of r.lines) {
        em.create(FinancialReportLine, { report, category, planned, actual, estimateToComplete } as any);
      }
    }

    for (const [projectKey, title, category, likelihood, impact, status, visibility, contractKey, history] of DEMO_RISKS) {
      const risk = em.create(Risk, {
        project: projects[projectKey], contract: contractKey ? contracts[contractKey] : null, title, category, likelihood, impact, status, visibility,
        owner: contractKey && visibility === RiskVisibility.CONTRACT && projectKey === 'cirrus' ? null : projectKey === 'cirrus' ? admin : pm,
        mitigationPlan: 'Tracked in the weekly risk review.',
      } as any);
      history.forEach(([l, i], n) => {
        em.create(RiskAssessment, {
          risk, likelihood: l, impact: i, note: n === 0 ? 'Initial assessment.' : 'Reassessed in the monthly review.',
          assessedBy: projectKey === 'cirrus' ? admin : pm, assessedAt: new Date(`${addMonths(anchor, n - history.length)}T12:00:00Z`),
        } as any);
      });
    }

    DEMO_UPDATES.forEach(([projectKey, title, audience], n) => {
      em.create(ProjectUpdate, {
        project: projects[projectKey], author: projectKey === 'cirrus' ? admin : pm, title, audience,
        body: `${title}.\n\nDetails for the ${audience.toLowerCase()} audience.`,
        publishedAt: new Date(`${addDays(anchor, -(n % 3) * 7 - 3)}T08:00:00Z`),
      } as any);
    });
  });
}
