/**
 * What a restatement changed: a revision compared line by line with the
 * revision it restates (docs/state-machines.md#financial-report). The
 * restated revision is the highest PUBLISHED or SUPERSEDED revision of the
 * same period below this one (the one `restateFinancialReport` copied, or
 * the one a draft restatement will supersede). Both revisions and their
 * lines are read through the policy, so a viewer never learns of a revision
 * it may not see. Differences are exact: integer cents, never a float.
 */
import DataLoader from 'dataloader';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { scoped } from '../../access/policy';
import { MAX_BATCH } from '../../access/reader';
import { DecimalScalar, SignedDecimalScalar } from '../../core/scalars';
import { FinancialReport, FinancialReportLine, ReportStatus, SpendCategory } from '../../model/financial-report.entity';

export enum ReportLineChangeKind {
  ADDED = 'ADDED',
  REMOVED = 'REMOVED',
  CHANGED = 'CHANGED',
}
registerEnumType(ReportLineChangeKind, {
  name: 'ReportLineChangeKind',
  description: 'How a category\'s line differs from the restated revision.',
  valuesConfig: {
    ADDED: { description: 'The category has a line now and had none in the restated revision.' },
    REMOVED: { description: 'The category had a line in the restated revision and has none now.' },
    CHANGED: { description: 'Both revisions have a line and at least one amount differs.' },
  },
});

@ObjectType({ description: 'One category of a restatement compared with the restated revision. A missing line counts as 0.00 in the differences.' })
export class ReportLineChange {
  @Field(() => SpendCategory, { description: 'Category.' })
  category!: SpendCategory;

  @Field(() => ReportLineChangeKind, { description: 'ADDED, REMOVED or CHANGED.' })
  kind!: ReportLineChangeKind;

  @Field(() => DecimalScalar, { nullable: true, description: 'Planned in the restated revision; null when ADDED.' })
  previousPlanned!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Actual in the restated revision; null when ADDED.' })
  previousActual!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Estimate to complete in the restated revision; null when ADDED.' })
  previousEstimateToComplete!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Planned in this revision; null when REMOVED.' })
  planned!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Actual in this revision; null when REMOVED.' })
  actual!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Estimate to complete in this revision; null when REMOVED.' })
  estimateToComplete!: string | null;

  @Field(() => SignedDecimalScalar, { description: 'planned − previousPlanned (a missing line counts as 0.00).' })
  plannedDifference!: string;

  @Field(() => SignedDecimalScalar, { description: 'actual − previousActual (a missing line counts as 0.00).' })
  actualDifference!: string;

  @Field(() => SignedDecimalScalar, { description: 'estimateToComplete − previousEstimateToComplete (a missing line counts as 0.00).' })
  estimateToCompleteDifference!: string;
}

/** "1234.5" → 123450n: amounts are numeric(18, 2) strings. */
function cents(value: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (!m) throw new Error(`not an amount: ${value}`);
  const c = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -c : c;
}

function amount(c: bigint): string {
  const abs = c < 0n ? -c : c;
  return `${c < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

type Amounts = Pick<FinancialReportLine, 'planned' | 'actual' | 'estimateToComplete'>;

/** The changed categories, in category order; unchanged ones are left out. */
export function lineChanges(previous: FinancialReportLine[], current: FinancialReportLine[]): ReportLineChange[] {
  const before = new Map(previous.map((l) => [l.category, l as Amounts]));
  const after = new Map(current.map((l) => [l.category, l as Amounts]));
  const out: ReportLineChange[] = [];
  for (const category of Object.values(SpendCategory)) {
    const a = before.get(category);
    const b = after.get(category);
    if (!a && !b) continue;
    const diff = (key: keyof Amounts) => cents(b?.[key] ?? '0') - cents(a?.[key] ?? '0');
    const kind = !a ? ReportLineChangeKind.ADDED : !b ? ReportLineChangeKind.REMOVED : ReportLineChangeKind.CHANGED;
    const d = { planned: diff('planned'), actual: diff('actual'), etc: diff('estimateToComplete') };
    if (kind === ReportLineChangeKind.CHANGED && d.planned === 0n && d.actual === 0n && d.etc === 0n) continue;
    const shown = (line: Amounts | undefined, key: keyof Amounts) => (line ? amount(cents(line[key])) : null);
    out.push(Object.assign(new ReportLineChange(), {
      category, kind,
      previousPlanned: shown(a, 'planned'), previousActual: shown(a, 'actual'), previousEstimateToComplete: shown(a, 'estimateToComplete'),
      planned: shown(b, 'planned'), actual: shown(b, 'actual'), estimateToComplete: shown(b, 'estimateToComplete'),
      plannedDifference: amount(d.planned), actualDifference: amount(d.actual), estimateToCompleteDifference: amount(d.etc),
    }));
  }
  return out;
}

const RESTATABLE = [ReportStatus.PUBLISHED, ReportStatus.SUPERSEDED];

export interface RestatementLoaders {
  /** The revision a report restates, when the viewer may see it. */
  restated: DataLoader<FinancialReport, FinancialReport | null, string>;
  /** The report's lines, as the viewer may see them. */
  lines: DataLoader<string, FinancialReportLine[]>;
}

const cache = new WeakMap<object, RestatementLoaders>();

export function restatementLoaders(ctx: Context): RestatementLoaders {
  const { reader, viewer } = authed(ctx);
  let loaders = cache.get(reader);
  if (!loaders) {
    const em = reader.em;
    loaders = {
      restated: new DataLoader(async (reports) => {
        const candidates = await em.find(FinancialReport, scoped(FinancialReport, viewer, {
          $or: reports.map((r) => ({ project: r.project.id, periodStart: r.periodStart, revision: { $lt: r.revision }, status: { $in: RESTATABLE } })),
        }), { orderBy: { revision: 'desc' } });
        return reports.map((r) => candidates.find((c) => c.project.id === r.project.id && c.periodStart === r.periodStart && c.revision < r.revision) ?? null);
      }, { maxBatchSize: MAX_BATCH, cacheKeyFn: (r) => r.id }),
      lines: new DataLoader(async (reportIds) => {
        const rows = await em.find(FinancialReportLine, scoped(FinancialReportLine, viewer, { report: { $in: [...reportIds] } }));
        return reportIds.map((id) => rows.filter((l) => l.report.id === id));
      }, { maxBatchSize: MAX_BATCH }),
    };
    cache.set(reader, loaders);
  }
  return loaders;
}

export async function changesOf(ctx: Context, report: FinancialReport): Promise<ReportLineChange[] | null> {
  const loaders = restatementLoaders(ctx);
  const previous = await loaders.restated.load(report);
  if (!previous) return null;
  const [before, after] = await Promise.all([loaders.lines.load(previous.id), loaders.lines.load(report.id)]);
  return lineChanges(before, after);
}
