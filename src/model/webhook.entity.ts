/**
 * Webhooks (docs/webhooks.md): an organization's endpoints, which receive the
 * events the organization may see, signed as the Standard Webhooks spec says,
 * and the log of their deliveries.
 *
 * An endpoint carries the visibility of its **approver**, a user of its
 * organization who may administer its webhooks (`can.manageWebhooks`): the
 * user who created it, or who last changed, enabled or rotated it. An event
 * goes to the endpoint only when that user is among the event's recipients
 * (the policy decides, at delivery time), so an endpoint never receives more
 * than its approver may read.
 */
import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from './node';
import { DateTimeScalar } from '../core/scalars';
import { Organization, User } from './identity.entity';
import { DomainEvent } from './event.entity';

export enum WebhookEndpointStatus {
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
}
registerEnumType(WebhookEndpointStatus, {
  name: 'WebhookEndpointStatus',
  description: 'Whether an endpoint receives events.',
  valuesConfig: {
    ACTIVE: { description: 'Receives the events its filter selects.' },
    DISABLED: { description: 'Receives nothing: disabled by an administrator, or automatically after repeated failed deliveries.' },
  },
});

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
  SKIPPED = 'SKIPPED',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where one delivery (one event to one endpoint) stands.',
  valuesConfig: {
    PENDING: { description: 'Queued, or waiting for its next attempt after a failure.' },
    DELIVERED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'Given up: every attempt failed, or the endpoint was disabled meanwhile.' },
    SKIPPED: { description: 'Not sent: at sending, the approver no longer sees the event\'s subject, or its address was refused.' },
  },
});

@ObjectType({ implements: Node, description: 'An HTTPS address of an organization that receives signed event notifications (docs/webhooks.md). Its signing secret is shown once, when created or rotated.' })
@Entity({ tableName: 'webhook_endpoint' })
export class WebhookEndpoint extends BaseEntity {
  @Index()
  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization!: Organization;

  @Field({ description: 'Where events are POSTed.' })
  @Property({ length: 2000 })
  url!: string;

  @Field({ description: 'What the endpoint is for (may be empty).' })
  @Property({ length: 200, default: '' })
  description: string = '';

  @Field(() => [String], { description: 'The event types sent to this endpoint; empty: every event type.' })
  @Property({ type: 'text[]', default: '{}' })
  eventTypes: string[] = [];

  /** The Standard Webhooks signing secret (`whsec_` + base64 of 32 random bytes); needed in clear to sign, never exposed after creation. */
  @Property({ length: 100, hidden: true, lazy: true })
  secret!: string;

  @Field(() => WebhookEndpointStatus, { description: 'Whether the endpoint receives events.' })
  @Enum({ items: () => WebhookEndpointStatus, nativeEnumName: 'webhook_endpoint_status', default: WebhookEndpointStatus.ACTIVE })
  status: WebhookEndpointStatus = WebhookEndpointStatus.ACTIVE;

  @Field(() => Int, { description: 'Failed delivery attempts since the last successful one; the endpoint is disabled when it reaches the configured limit.' })
  @Property({ type: 'integer', default: 0 })
  failureCount: number = 0;

  @Field(() => String, { nullable: true, description: 'Why the endpoint was disabled, when it is.' })
  @Property({ length: 500, nullable: true })
  disabledReason?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the endpoint was disabled, when it is.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  disabledAt?: Date | null;

  @Index()
  @ManyToOne(() => User, { deleteRule: 'restrict' })
  createdBy!: User;

  /** Whose visibility the endpoint carries (see above). */
  @Index()
  @ManyToOne(() => User, { deleteRule: 'restrict' })
  approvedBy!: User;
}

@ObjectType({ implements: Node, description: 'One event sent (or being sent) to one webhook endpoint: its attempts and their outcome.' })
@Entity({ tableName: 'webhook_delivery' })
@Unique({ name: 'webhook_delivery_endpoint_event_unique', properties: ['endpoint', 'event'] })
export class WebhookDelivery extends BaseEntity {
  @ManyToOne(() => WebhookEndpoint, { deleteRule: 'cascade' })
  endpoint!: WebhookEndpoint;

  @Index()
  @ManyToOne(() => DomainEvent, { deleteRule: 'cascade' })
  event!: DomainEvent;

  @Field({ description: 'The `webhook-id` header: the same for every attempt of this event to this endpoint, for the receiver\'s deduplication.' })
  @Unique({ name: 'webhook_delivery_webhook_id_unique' })
  @Property({ length: 64 })
  webhookId!: string;

  @Field({ description: 'The event\'s type.' })
  @Property({ length: 64 })
  eventType!: string;

  @Field(() => WebhookDeliveryStatus, { description: 'Where the delivery stands.' })
  @Enum({ items: () => WebhookDeliveryStatus, nativeEnumName: 'webhook_delivery_status', default: WebhookDeliveryStatus.PENDING })
  status: WebhookDeliveryStatus = WebhookDeliveryStatus.PENDING;

  @Field(() => Int, { description: 'Attempts made so far.' })
  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the last attempt; null when it got no answer.' })
  @Property({ type: 'integer', nullable: true })
  lastResponseCode?: number | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (timeout, refused address, HTTP status …).' })
  @Property({ length: 500, nullable: true })
  lastError?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the last attempt was made.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastAttemptAt?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the endpoint accepted it.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  deliveredAt?: Date | null;
}
