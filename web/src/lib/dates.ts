/** Dates (YYYY-MM-DD) and instants (ISO 8601 UTC) as the API sends them. */

const dateFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const monthFmt = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
// Instants are shown in the reader's own time zone (named, so a screenshot says which); dates
// (YYYY-MM-DD) are calendar days and stay as the API gives them.
const instantFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });

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
