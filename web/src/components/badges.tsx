const TONE: Record<string, string> = {
  ACTIVE: 'good', DONE: 'good', ACCEPTED: 'good', PUBLISHED: 'good', CLOSED: 'muted', COMPLETED: 'muted',
  PLANNED: 'muted', DRAFT: 'warn', IN_PROGRESS: 'info', SUBMITTED: 'info', MITIGATING: 'info',
  SUSPENDED: 'warn', ON_HOLD: 'warn', OPEN: 'warn', SUPERSEDED: 'muted',
  REJECTED: 'bad', TERMINATED: 'bad', CANCELLED: 'muted', REALIZED: 'bad',
};

export function humanize(value: string): string {
  const s = value.replace(/_/g, ' ').toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${TONE[status] ?? 'muted'}`}>{humanize(status)}</span>;
}

export function OverdueMark() {
  return <span className="badge badge-bad overdue">Overdue</span>;
}

export type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** docs/money.md: 1–4 LOW, 5–9 MEDIUM, 10–14 HIGH, 15–25 CRITICAL. */
export function severityOf(score: number): Severity {
  return score >= 15 ? 'CRITICAL' : score >= 10 ? 'HIGH' : score >= 5 ? 'MEDIUM' : 'LOW';
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`badge sev sev-${severity.toLowerCase()}`}>{humanize(severity)}</span>;
}

/** Score change between the last two assessments: up is worse. */
export function TrendArrow({ previous, current }: { previous: number | null; current: number }) {
  if (previous === null) return <span className="trend trend-new" title="First assessment">•<span className="sr-only"> first assessment</span></span>;
  const delta = current - previous;
  if (delta > 0) return <span className="trend trend-up" title={`Up ${delta} since the previous assessment`} aria-label={`worsening, up ${delta}`}>▲ +{delta}</span>;
  if (delta < 0) return <span className="trend trend-down" title={`Down ${-delta} since the previous assessment`} aria-label={`improving, down ${-delta}`}>▼ {delta}</span>;
  return <span className="trend trend-flat" title="Unchanged since the previous assessment" aria-label="unchanged">▶ 0</span>;
}
