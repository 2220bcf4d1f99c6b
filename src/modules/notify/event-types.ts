/** The event types a webhook filter or an e-mail preference may name: those of the outbox. */
import { EVENT_TYPES as TYPES } from '../../model/event.entity';

export const EVENT_TYPES: readonly string[] = TYPES;

export function isEventType(value: string): boolean {
  return EVENT_TYPES.includes(value);
}
