/**
 * E-mail notifications (README "E-mail"): each user's choice per event type,
 * and the items waiting to be mailed (at once, or in a daily or weekly digest).
 */
import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { registerEnumType } from 'type-graphql';
import { BaseEntity } from './node';
import { User } from './identity.entity';
import { DomainEvent } from './event.entity';

export enum EmailMode {
  OFF = 'OFF',
  IMMEDIATELY = 'IMMEDIATELY',
  DAILY_DIGEST = 'DAILY_DIGEST',
  WEEKLY_DIGEST = 'WEEKLY_DIGEST',
}
registerEnumType(EmailMode, {
  name: 'EmailMode',
  description: 'How a user is told of one type of event by e-mail.',
  valuesConfig: {
    OFF: { description: 'No e-mail.' },
    IMMEDIATELY: { description: 'One e-mail per event, as it happens.' },
    DAILY_DIGEST: { description: 'Collected into one e-mail a day.' },
    WEEKLY_DIGEST: { description: 'Collected into one e-mail a week.' },
  },
});

/** A user's choice for one event type; without a row the type's default applies (src/modules/email/email.preferences.ts). */
@Entity({ tableName: 'email_preference' })
@Unique({ name: 'email_preference_user_type_unique', properties: ['user', 'eventType'] })
export class EmailPreference extends BaseEntity {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Property({ length: 64 })
  eventType!: string;

  @Enum({ items: () => EmailMode, nativeEnumName: 'email_mode' })
  mode!: EmailMode;
}

export enum EmailItemStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  SKIPPED = 'SKIPPED',
}

/**
 * One event to tell one user by e-mail, in the mode chosen when the event
 * was delivered; unique per (user, event), so a retried delivery adds nothing.
 * Visibility is checked again when it is mailed (SKIPPED if lost since).
 */
@Entity({ tableName: 'email_item' })
@Unique({ name: 'email_item_user_event_unique', properties: ['user', 'event'] })
@Index({ name: 'email_item_pending_index', properties: ['mode', 'status'] })
export class EmailItem extends BaseEntity {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Index()
  @ManyToOne(() => DomainEvent, { deleteRule: 'cascade' })
  event!: DomainEvent;

  @Enum({ items: () => EmailMode, nativeEnumName: 'email_mode' })
  mode!: EmailMode;

  @Enum({ items: () => EmailItemStatus, nativeEnumName: 'email_item_status', default: EmailItemStatus.PENDING })
  status: EmailItemStatus = EmailItemStatus.PENDING;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  sentAt?: Date | null;
}
