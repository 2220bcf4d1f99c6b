/** Dates (YYYY-MM-DD) and instants (ISO 8601 UTC) as the API sends them. */

const dateFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const monthFmt = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const instantFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });

export function formatDate(date: string | null | undefined): string {
  if (!date) return '—';
  return dateFmt.format(new Date(`${date}T00:00:00Z`));
}

export function formatMonth(date: string): string {
  return monthFmt.format(new Date(`${date}T00:00:00Z`));
}

export function formatInstant(instant: string | null | undefined): string {
  if (!instant) return '—';
  return instantFmt.format(new Date(instant));
}

/** Today in UTC, as the API computes overdue. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
