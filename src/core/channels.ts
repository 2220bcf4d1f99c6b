/**
 * The PostgreSQL NOTIFY channels of domain events and notifications
 * (docs/subscriptions.md): written by the write kernel and the inbox job,
 * heard by the live-update hub of every instance.
 */

/** A new domain event, sent at commit: `{"id","type","subjectType","subjectId","projectId"}`. */
export const EVENT_CHANNEL = 'vantage_event';

/** A notification added to a user's inbox: `{"id","userId"}`. */
export const NOTIFICATION_CHANNEL = 'vantage_notification';
