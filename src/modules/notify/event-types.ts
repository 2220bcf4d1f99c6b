/** The event types a webhook filter or an e-mail preference may name: those of the outbox. */
import { EventType } from '../../model/event.entity';

export const EVENT_TYPES: readonly string[] = Object.values(EventType as Record<string, string>);

export function isEventType(value: string): boolean {
  return EVENT_TYPES.includes(value);
}
