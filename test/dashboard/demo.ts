/**
 * The demo data of src/db/seed.ts as reference rows, and what each demo user
 * may see of it — docs/visibility.md applied here by hand, not through the policy.
 */
import { addDays, addMonths, monthEnd, today } from '../../src/core/dates';
import {
  DEMO_CONTRACTS, DEMO_DELIVERABLES, DEMO_INVESTMENTS, DEMO_MILESTONES, DEMO_REPORTS, DEMO_RISKS, demoAnchor, demoProjects,
} from '../../src/db/seed';
import type { DemoUser } from '../support/app';
import type { ContractRow, DeliverableRow, MilestoneRow, ReportRow, RiskRow } from './reference';

export type ProjectKey = 'atlas' | 'borealis' | 'cirrus';
export const ANCHOR = demoAnchor();
export const TODAY = today();
export const PROJECTS = demoProjects(ANCHOR);
/** In code order, which is the API's default order. */
export const PROJECT_KEYS: ProjectKey[] = ['atlas', 'borealis', 'cirrus'];

/** Report month index (0 = six months before the anchor) → period. */
export const periodOf = (month: number) => ({ start: addMonths(ANCHOR, month - 6), end: monthEnd(addMonths(ANCHOR, month - 6)) });

export interface DemoView {
  side: 'operator' | 'investor' | 'partner';
  /** The user's organization, as the seed's tables name it. */
  org: string;
  projects: ProjectKey[];
  /** Contract keys whose CONTRACT-visibility risks and deliverables the partner sees. */
  contracts: string[];
}

/** P(v) and the grants of each demo user, read off the seed's comments and tables. */
export const VIEWS: Record<DemoUser, DemoView> = {
  admin: { side: 'operator', org: 'northwind', projects: ['atlas', 'borealis', 'cirrus'], contracts: [] },
  pm: { side: 'operator', org: 'northwind', projects: ['atlas', 'borealis'], contracts: [] },
  aurora: { side: 'investor', org: 'aurora', projects: ['atlas', 'borealis'], contracts: [] },
  beacon: { side: 'investor', org: 'beacon', projects: ['borealis', 'cirrus'], contracts: [] },
  // atlasDelta and cirrusCobalt are DRAFT: they grant nothing.
  cobalt: { side: 'partner', org: 'cobalt', projects: ['atlas'], contracts: ['atlasCobalt'] },
  delta: { side: 'partner', org: 'delta', projects: ['borealis'], contracts: ['borealisDelta'] },
};

export function reports(project: ProjectKey): ReportRow[] {
  return DEMO_REPORTS.filter((r) => r.project === project).map((r) => ({
    periodStart: periodOf(r.month).start,
    periodEnd: periodOf(r.month).end,
    revision: r.revision,
    status: r.status,
    lines: r.lines.map(([category, planned, actual, estimateToComplete]) => ({ category, planned, actual, estimateToComplete })),
  }));
}

export function investments(project: ProjectKey) {
  return DEMO_INVESTMENTS.filter((i) => i.project === project).map((i) => ({ amount: i.amount, committedOn: addMonths(ANCHOR, -i.monthsAgo), org: i.org as string }));
}

/** Milestones; ids are the titles (due dates differ, so no tie needs the real id). */
export function milestones(project: ProjectKey): (MilestoneRow & { title: string })[] {
  return DEMO_MILESTONES[project].map(([title, months, days, status, progress, plannedValue]) => ({
    id: title, title, dueDate: addDays(addMonths(ANCHOR, months), days), status, progress, plannedValue,
  }));
}

/** Risks the user may see; ids sort like creation order (the seed's order), which breaks score ties. */
export function risks(user: DemoUser, project: ProjectKey): (RiskRow & { title: string })[] {
  const view = VIEWS[user];
  if (!view.projects.includes(project)) return [];
  return DEMO_RISKS.flatMap(([p, title, , likelihood, impact, status, visibility, contract, history], index) => {
    if (p !== project) return [];
    const visible =
      view.side === 'operator' ||
      (view.side === 'investor' && (visibility === 'INVESTORS' || visibility === 'STAKEHOLDERS')) ||
      (view.side === 'partner' && (visibility === 'STAKEHOLDERS' || (visibility === 'CONTRACT' && contract !== null && view.contracts.includes(contract))));
    if (!visible) return [];
    const id = String(index).padStart(3, '0');
    return [{
      id, title, score: likelihood * impact, status,
      assessments: history.map(([l, i], n) => ({ id: `${id}-${n}`, likelihood: l, impact: i, assessedAt: addMonths(ANCHOR, n - history.length) })),
    }];
  });
}

export function contracts(project: ProjectKey): (ContractRow & { key: string; reference: string })[] {
  return DEMO_CONTRACTS.filter((c) => c.project === project).map((c) => ({ key: c.key, reference: c.reference, status: c.status, value: c.value, org: c.org as string }));
}

/** Deliverables of a contract; ids are the titles. decidedAt is the due date at 15:00 UTC in the seed. */
export function deliverables(contractKey: string): (DeliverableRow & { title: string })[] {
  return DEMO_DELIVERABLES.filter(([c]) => c === contractKey).map(([, title, , months, days, status]) => {
    const due = addDays(addMonths(ANCHOR, months), days);
    return { id: title, title, status, dueDate: due, decidedAt: status === 'ACCEPTED' || status === 'REJECTED' ? `${due}T15:00:00.000Z` : null };
  });
}

/** The contracts a user may list: all (operator, within P(v)), own non-draft (partner), none (investor). */
export function listableContracts(user: DemoUser): string[] {
  const view = VIEWS[user];
  if (view.side === 'operator') return DEMO_CONTRACTS.filter((c) => view.projects.includes(c.project)).map((c) => c.key);
  if (view.side === 'partner') return view.contracts;
  return [];
}
