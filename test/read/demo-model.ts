/**
 * What each demo user must see, computed from the demo tables of
 * src/db/seed.ts by applying docs/visibility.md here, independently of
 * src/access/policy.ts: if the policy drifts from the design, the two disagree.
 */
import {
  DEMO_CONTRACTS, DEMO_DELIVERABLES, DEMO_INVESTMENTS, DEMO_MILESTONES, DEMO_REPORTS, DEMO_RISKS, DEMO_UPDATES, DEMO_USERS,
  demoAnchor, demoProjects,
} from '../../src/db/seed';
import { addDays, addMonths } from '../../src/core/dates';
import type { DemoUser } from '../support/app';

export type ProjectKey = 'atlas' | 'borealis' | 'cirrus';
export type Side = 'operator' | 'investor' | 'partner';

const ANCHOR = demoAnchor();
export const PROJECTS = demoProjects(ANCHOR);
const PROJECT_KEYS: ProjectKey[] = (['atlas', 'borealis', 'cirrus'] as ProjectKey[]).sort((a, b) => cmp(PROJECTS[a].code, PROJECTS[b].code));

export const ORG_NAMES: Record<string, string> = {
  northwind: 'Northwind Digital',
  aurora: 'Aurora Capital',
  beacon: 'Beacon Ventures',
  cobalt: 'Cobalt Cloud',
  delta: 'Delta QA',
};

/** Who manages what is not a table in seed.ts: these are the words (pm: Atlas and Borealis; admin: Cirrus). */
export const MANAGERS: Record<ProjectKey, DemoUser> = { atlas: 'pm', borealis: 'pm', cirrus: 'admin' };

const SHORT: Record<string, DemoUser> = {
  'admin@northwind.example': 'admin',
  'pm@northwind.example': 'pm',
  'ir@aurora.example': 'aurora',
  'analyst@beacon.example': 'beacon',
  'lead@cobalt.example': 'cobalt',
  'qa@delta.example': 'delta',
};

export interface DemoViewer {
  user: DemoUser;
  email: string;
  name: string;
  org: string;
  side: Side;
  role: string;
  projects: ProjectKey[];
  /** Partner: references of the org's non-DRAFT contracts (the ones that grant anything). */
  contracts: string[];
}

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sideOfOrg(org: string): Side {
  if (org === 'northwind') return 'operator';
  if (org === 'aurora' || org === 'beacon') return 'investor';
  return 'partner';
}

export function viewerOf(user: DemoUser): DemoViewer {
  const u = DEMO_USERS.find((x) => SHORT[x.email] === user)!;
  const side = sideOfOrg(u.org);
  const ownLiveContracts = DEMO_CONTRACTS.filter((c) => c.org === u.org && c.status !== 'DRAFT');
  let projects: ProjectKey[];
  if (side === 'operator') {
    projects = u.role === 'ADMIN' ? PROJECT_KEYS : PROJECT_KEYS.filter((p) => MANAGERS[p] === user);
  } else if (side === 'investor') {
    projects = PROJECT_KEYS.filter((p) => DEMO_INVESTMENTS.some((i) => i.project === p && i.org === u.org));
  } else {
    projects = PROJECT_KEYS.filter((p) => ownLiveContracts.some((c) => c.project === p));
  }
  return {
    user,
    email: u.email,
    name: u.name,
    org: u.org,
    side,
    role: u.role,
    projects,
    contracts: side === 'partner' ? ownLiveContracts.map((c) => c.reference) : [],
  };
}

export const ALL_USERS: DemoUser[] = ['admin', 'pm', 'aurora', 'beacon', 'cobalt', 'delta'];

/* ---------- the rows, with the keys the tests use ---------- */

export interface MilestoneRow { project: ProjectKey; title: string; due: string; plannedValue: string; index: number }
export const MILESTONES: MilestoneRow[] = PROJECT_KEYS.flatMap((p) =>
  DEMO_MILESTONES[p].map(([title, months, days, , , plannedValue], index) => ({ project: p, title, due: addDays(addMonths(ANCHOR, months), days), plannedValue, index })),
);

export interface ContractRow { key: string; project: ProjectKey; org: string; reference: string; status: string }
export const CONTRACTS: ContractRow[] = DEMO_CONTRACTS.map((c) => ({ key: c.key, project: c.project as ProjectKey, org: c.org, reference: c.reference, status: c.status }));

export interface DeliverableRow { title: string; contract: ContractRow; milestone: string | null; due: string; status: string; seq: number }
export const DELIVERABLES: DeliverableRow[] = DEMO_DELIVERABLES.map(([contractKey, title, mIndex, months, days, status], seq) => {
  const contract = CONTRACTS.find((c) => c.key === contractKey)!;
  return {
    title, contract, seq, status,
    milestone: mIndex === null ? null : DEMO_MILESTONES[contract.project][mIndex][0],
    due: addDays(addMonths(ANCHOR, months), days),
  };
});

export interface ReportRow { project: ProjectKey; periodStart: string; revision: number; status: string; key: string; lines: string[]; seq: number }
export const REPORTS: ReportRow[] = DEMO_REPORTS.map((r, seq) => {
  const periodStart = addMonths(ANCHOR, r.month - 6);
  return { project: r.project, periodStart, revision: r.revision, status: r.status, key: reportKey(r.project, periodStart, r.revision), lines: r.lines.map((l) => l[0]), seq };
});
export function reportKey(project: string, periodStart: string, revision: number): string {
  return `${project}/${periodStart}/r${revision}`;
}

export interface RiskRow { project: ProjectKey; title: string; score: number; visibility: string; contract: string | null; assessments: number; seq: number }
export const RISKS: RiskRow[] = DEMO_RISKS.map(([project, title, , likelihood, impact, , visibility, contractKey, history], seq) => ({
  project, title, score: likelihood * impact, visibility, seq, assessments: history.length,
  contract: contractKey ? CONTRACTS.find((c) => c.key === contractKey)!.reference : null,
}));

export interface UpdateRow { project: ProjectKey; title: string; audience: string; daysAgo: number; seq: number }
export const UPDATES: UpdateRow[] = DEMO_UPDATES.map(([project, title, audience], seq) => ({ project, title, audience, daysAgo: (seq % 3) * 7 + 3, seq }));

export interface InvestmentRow { project: ProjectKey; org: string; amount: string; committedOn: string; seq: number }
export const INVESTMENTS: InvestmentRow[] = DEMO_INVESTMENTS.map((i, seq) => ({ project: i.project, org: i.org, amount: i.amount, committedOn: addMonths(ANCHOR, -i.monthsAgo), seq }));

/** Sum of decimal strings, exact (integer cents). */
export function sumMoney(amounts: string[]): string {
  const cents = amounts.reduce((acc, a) => {
    const [whole, frac = ''] = a.split('.');
    return acc + BigInt(whole) * 100n + BigInt((frac + '00').slice(0, 2));
  }, 0n);
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

/* ---------- docs/visibility.md, row by row ---------- */

export const rules = {
  project: (v: DemoViewer, p: ProjectKey) => v.projects.includes(p),
  milestone: (v: DemoViewer, m: MilestoneRow) => v.projects.includes(m.project),
  report: (v: DemoViewer, r: ReportRow) =>
    v.projects.includes(r.project) &&
    (v.side === 'operator' || (v.side === 'investor' && (r.status === 'PUBLISHED' || r.status === 'SUPERSEDED'))),
  risk: (v: DemoViewer, r: RiskRow) =>
    v.projects.includes(r.project) &&
    (v.side === 'operator' ||
      (v.side === 'investor' && (r.visibility === 'INVESTORS' || r.visibility === 'STAKEHOLDERS')) ||
      (v.side === 'partner' && (r.visibility === 'STAKEHOLDERS' || (r.visibility === 'CONTRACT' && r.contract !== null && v.contracts.includes(r.contract))))),
  contract: (v: DemoViewer, c: ContractRow) =>
    v.projects.includes(c.project) && (v.side === 'operator' || (v.side === 'partner' && c.org === v.org && c.status !== 'DRAFT')),
  deliverable: (v: DemoViewer, d: DeliverableRow) =>
    v.projects.includes(d.contract.project) && (v.side === 'operator' || (v.side === 'partner' && v.contracts.includes(d.contract.reference))),
  investment: (v: DemoViewer, i: InvestmentRow) =>
    v.projects.includes(i.project) && (v.side === 'operator' || (v.side === 'investor' && i.org === v.org)),
  update: (v: DemoViewer, u: UpdateRow) =>
    v.projects.includes(u.project) &&
    (v.side === 'operator' ||
      (v.side === 'investor' && (u.audience === 'INVESTORS' || u.audience === 'STAKEHOLDERS')) ||
      (v.side === 'partner' && (u.audience === 'PARTNERS' || u.audience === 'STAKEHOLDERS'))),
  /** Organizations: all for the operator; otherwise own org plus the organizations of the managers of visible projects. */
  organization: (v: DemoViewer, org: string) =>
    v.side === 'operator' || org === v.org || v.projects.some((p) => viewerOf(MANAGERS[p]).org === org),
  user: (v: DemoViewer, user: DemoUser) =>
    v.side === 'operator' || viewerOf(user).org === v.org || v.projects.some((p) => MANAGERS[p] === user),
};

/* ---------- the expected view, in the API's default orders ---------- */

export interface ExpectedView {
  projects: string[];
  milestones: Record<string, string[]>;
  milestoneDeliverables: Record<string, string[]>;
  contracts: Record<string, string[]>;
  contractDeliverables: Record<string, string[]>;
  reports: Record<string, string[]>;
  lines: Record<string, string[]>;
  risks: Record<string, string[]>;
  riskContracts: Record<string, string | null>;
  assessments: Record<string, number>;
  updates: Record<string, string[]>;
  investments: Record<string, string[]>;
}

function byDueThenSeq(a: DeliverableRow, b: DeliverableRow): number {
  return cmp(a.due, b.due) || cmp(a.seq, b.seq);
}

export function expectedView(user: DemoUser): ExpectedView {
  const v = viewerOf(user);
  const view: ExpectedView = {
    projects: [], milestones: {}, milestoneDeliverables: {}, contracts: {}, contractDeliverables: {}, reports: {}, lines: {},
    risks: {}, riskContracts: {}, assessments: {}, updates: {}, investments: {},
  };
  const deliverables = DELIVERABLES.filter((d) => rules.deliverable(v, d));
  for (const p of v.projects) {
    const name = PROJECTS[p].name;
    view.projects.push(name);
    const ms = MILESTONES.filter((m) => m.project === p && rules.milestone(v, m)).sort((a, b) => cmp(a.due, b.due));
    view.milestones[name] = ms.map((m) => m.title);
    for (const m of ms) view.milestoneDeliverables[m.title] = deliverables.filter((d) => d.milestone === m.title && d.contract.project === p).sort(byDueThenSeq).map((d) => d.title);
    const cs = CONTRACTS.filter((c) => c.project === p && rules.contract(v, c)).sort((a, b) => cmp(a.reference, b.reference));
    view.contracts[name] = cs.map((c) => c.reference);
    for (const c of cs) view.contractDeliverables[c.reference] = deliverables.filter((d) => d.contract.reference === c.reference).sort(byDueThenSeq).map((d) => d.title);
    const rs = REPORTS.filter((r) => r.project === p && rules.report(v, r)).sort((a, b) => cmp(a.periodStart, b.periodStart) || cmp(a.seq, b.seq));
    view.reports[name] = rs.map((r) => `${r.key} ${r.status}`);
    for (const r of rs) view.lines[r.key] = [...r.lines].sort();
    // Highest score first; ties newest first (ids are time-ordered, so the later row).
    const risks = RISKS.filter((r) => r.project === p && rules.risk(v, r)).sort((a, b) => b.score - a.score || b.seq - a.seq);
    view.risks[name] = risks.map((r) => `${r.title} [${r.visibility}]`);
    for (const r of risks) {
      view.assessments[r.title] = r.assessments;
      const c = r.contract ? CONTRACTS.find((x) => x.reference === r.contract)! : null;
      view.riskContracts[r.title] = c && rules.contract(v, c) ? c.reference : null;
    }
    const us = UPDATES.filter((u) => u.project === p && rules.update(v, u)).sort((a, b) => a.daysAgo - b.daysAgo || b.seq - a.seq);
    view.updates[name] = us.map((u) => `${u.title} [${u.audience}]`);
    const is = INVESTMENTS.filter((i) => i.project === p && rules.investment(v, i)).sort((a, b) => cmp(a.committedOn, b.committedOn) || cmp(a.seq, b.seq));
    view.investments[name] = is.map((i) => `${ORG_NAMES[i.org]} ${i.amount}`);
  }
  return view;
}
