/**
 * Builds extra rows straight through the ORM (test set-up only, never a
 * request path), parents on demand, for the dashboard tests.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Contract, ContractKind, ContractStatus } from '../../src/model/contract.entity';
import { Deliverable, DeliverableStatus } from '../../src/model/deliverable.entity';
import { FinancialReport, FinancialReportLine, ReportStatus, SpendCategory } from '../../src/model/financial-report.entity';
import { Organization, User } from '../../src/model/identity.entity';
import { Investment } from '../../src/model/investment.entity';
import { Milestone, MilestoneStatus } from '../../src/model/milestone.entity';
import { Project, ProjectStatus } from '../../src/model/project.entity';
import { Risk, RiskAssessment, RiskCategory, RiskStatus, RiskVisibility } from '../../src/model/risk.entity';
import { monthEnd } from '../../src/core/dates';

export type OrgKey = 'northwind' | 'aurora' | 'beacon' | 'cobalt' | 'delta';
const ORG_NAMES: Record<OrgKey, string> = {
  northwind: 'Northwind Digital', aurora: 'Aurora Capital', beacon: 'Beacon Ventures', cobalt: 'Cobalt Cloud', delta: 'Delta QA',
};

export class Factory {
  readonly em: EntityManager;
  private orgs = new Map<OrgKey, Organization>();
  private users = new Map<string, User>();
  private sequence = 0;

  constructor(orm: MikroORM) {
    this.em = orm.em.fork();
  }

  async org(key: OrgKey): Promise<Organization> {
    if (!this.orgs.has(key)) this.orgs.set(key, await this.em.findOneOrFail(Organization, { name: ORG_NAMES[key] }));
    return this.orgs.get(key)!;
  }

  async user(email: string): Promise<User> {
    if (!this.users.has(email)) this.users.set(email, await this.em.findOneOrFail(User, { email }));
    return this.users.get(email)!;
  }

  async projectByCode(code: string): Promise<Project> {
    return this.em.findOneOrFail(Project, { code });
  }

  async project(input: { name: string; currency?: string; budget: string; managers?: string[]; investors?: [OrgKey, string, string][] }): Promise<Project> {
    this.sequence += 1;
    const project = this.em.create(Project, {
      code: `PRJ-T-${String(this.sequence).padStart(4, '0')}-${input.name.slice(0, 12)}`, name: input.name, status: ProjectStatus.ACTIVE,
      currency: input.currency ?? 'EUR', budget: input.budget, startDate: '2020-01-01', targetEndDate: '2035-12-31',
    } as any);
    for (const email of input.managers ?? []) project.managers.add(await this.user(email));
    for (const [org, amount, committedOn] of input.investors ?? []) {
      this.em.create(Investment, { project, organization: await this.org(org), committedAmount: amount, committedOn } as any);
    }
    return project;
  }

  async contract(project: Project, org: OrgKey, input: { status: ContractStatus; value: string; reference?: string }): Promise<Contract> {
    this.sequence += 1;
    return this.em.create(Contract, {
      project, counterparty: await this.org(org), reference: input.reference ?? `T-C-${this.sequence}`, title: 'Test contract',
      kind: ContractKind.FIXED_PRICE, value: input.value, status: input.status, startDate: '2020-01-01', endDate: '2035-12-31',
    } as any);
  }

  milestone(project: Project, input: { dueDate: string; status: MilestoneStatus; progress: number; plannedValue: string | null }): Milestone {
    this.sequence += 1;
    return this.em.create(Milestone, { project, title: `Milestone ${this.sequence}`, ...input } as any);
  }

  /** A report revision with lines [category, planned, actual, estimateToComplete]. */
  report(project: Project, input: { periodStart: string; revision: number; status: ReportStatus; lines: [SpendCategory, string, string, string][] }): FinancialReport {
    const report = this.em.create(FinancialReport, {
      project, periodStart: input.periodStart, periodEnd: monthEnd(input.periodStart), revision: input.revision, status: input.status,
      publishedAt: input.status === ReportStatus.DRAFT ? null : new Date(),
    } as any);
    for (const [category, planned, actual, estimateToComplete] of input.lines) {
      this.em.create(FinancialReportLine, { report, category, planned, actual, estimateToComplete } as any);
    }
    return report;
  }

  /** A risk whose current likelihood/impact are those of its last assessment; history oldest first, a day apart. */
  risk(project: Project, input: { status: RiskStatus; visibility: RiskVisibility; contract?: Contract | null; history: [number, number][] }): Risk {
    this.sequence += 1;
    const [likelihood, impact] = input.history[input.history.length - 1];
    const risk = this.em.create(Risk, {
      project, contract: input.contract ?? null, title: `Risk ${this.sequence}`, category: RiskCategory.OTHER,
      likelihood, impact, status: input.status, visibility: input.visibility,
    } as any);
    input.history.forEach(([l, i], n) => {
      this.em.create(RiskAssessment, { risk, likelihood: l, impact: i, assessedAt: new Date(Date.UTC(2024, 0, 1 + n, 12)) } as any);
    });
    return risk;
  }

  deliverable(contract: Contract, input: { status: DeliverableStatus; dueDate: string; decidedAt?: string | null }): Deliverable {
    this.sequence += 1;
    const decided = input.status === DeliverableStatus.ACCEPTED || input.status === DeliverableStatus.REJECTED;
    return this.em.create(Deliverable, {
      project: contract.project, contract, title: `Deliverable ${this.sequence}`, dueDate: input.dueDate, status: input.status,
      submittedAt: input.status === DeliverableStatus.PLANNED || input.status === DeliverableStatus.IN_PROGRESS ? null : new Date(`${input.dueDate}T09:00:00Z`),
      decidedAt: decided ? new Date(input.decidedAt ?? `${input.dueDate}T15:00:00Z`) : null,
    } as any);
  }

  async flush(): Promise<void> {
    await this.em.flush();
  }
}

/** A small deterministic PRNG (mulberry32), so a failing random case can be replayed from its seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  const chance = (p: number): boolean => next() < p;
  /** An amount with cents, as a decimal string. */
  const amount = (maxUnits: number): string => `${int(0, maxUnits)}.${String(int(0, 99)).padStart(2, '0')}`;
  return { next, int, pick, chance, amount };
}
