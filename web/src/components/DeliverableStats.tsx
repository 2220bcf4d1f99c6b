import type { DeliverableStatsFieldsFragment } from '../gql/graphql';
import { formatDate } from '../lib/dates';
import { ratioAsPercent } from '../lib/money';
import { humanize } from './badges';

export function DeliverableStatsView({ stats, compact }: { stats: DeliverableStatsFieldsFragment; compact?: boolean }) {
  const counts = stats.byStatus.filter((s) => s.count > 0);
  return (
    <div className={compact ? 'stats stats-compact' : 'stats'} data-testid="deliverable-stats">
      <dl className="kpis">
        <div className="kpi">
          <dt>Deliverables</dt>
          <dd>
            {stats.total}
            {counts.length > 0 && <span className="hint">{counts.map((s) => `${s.count} ${humanize(s.status).toLowerCase()}`).join(', ')}</span>}
          </dd>
        </div>
        <div className="kpi">
          <dt>Overdue</dt>
          <dd className={stats.overdue > 0 ? 'text-bad' : undefined}>{stats.overdue}</dd>
        </div>
        <div className="kpi">
          <dt>Awaiting review</dt>
          <dd>{stats.awaitingReview}</dd>
        </div>
        <div className="kpi">
          <dt>Acceptance rate</dt>
          <dd>
            {ratioAsPercent(stats.acceptanceRate)}
            <span className="hint">of {stats.decided} decided</span>
          </dd>
        </div>
        <div className="kpi">
          <dt>On time</dt>
          <dd>
            {ratioAsPercent(stats.onTimeRate)}
            <span className="hint">of accepted</span>
          </dd>
        </div>
        {!compact && (
          <div className="kpi">
            <dt>Next due</dt>
            <dd>
              {stats.nextDue ? (
                <>
                  {stats.nextDue.title}
                  <span className="hint">{formatDate(stats.nextDue.dueDate)}</span>
                </>
              ) : (
                '—'
              )}
            </dd>
          </div>
        )}
      </dl>
    </div>
  );
}
