import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../core/user-error';
import { WebhookEndpoint } from '../../model/webhook.entity';
import { payloadOf, targetInputOf } from '../../write/payloads';

@InputType({ description: 'A new webhook endpoint of the viewer\'s organization.' })
export class CreateWebhookEndpointInput {
  @Field({ description: 'Where to POST events: https (http only outside production), on a public address.' })
  url!: string;

  @Field(() => String, { nullable: true, description: 'What the endpoint is for (at most 200 characters).' })
  description?: string | null;

  @Field(() => [String], { description: 'The event types to send (e.g. `report.restated`); empty: every type.' })
  eventTypes!: string[];
}

@ObjectType({ description: 'Result of createWebhookEndpoint and rotateWebhookSecret.' })
export class WebhookSecretPayload {
  @Field(() => WebhookEndpoint, { nullable: true, description: 'The endpoint; null when the mutation failed.' })
  webhookEndpoint!: WebhookEndpoint | null;

  @Field(() => String, { nullable: true, description: 'The signing secret (`whsec_…`), shown this once: store it where your receiver verifies signatures.' })
  secret!: string | null;

  @Field(() => [UserError], { description: 'Expected failures; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'Changes to a webhook endpoint; omitted fields stay as they are. The viewer becomes its approver.' })
export class UpdateWebhookEndpointInput {
  @Field(() => ID, { description: 'Id of the endpoint.' })
  id!: string;

  @Field(() => Int, { description: 'The version of the endpoint you read; a stale version is a VERSION_CONFLICT and nothing is written.' })
  version!: number;

  @Field(() => String, { nullable: true, description: 'New address (same rules as at creation).' })
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'New description.' })
  description?: string | null;

  @Field(() => [String], { nullable: true, description: 'New event types; empty: every type.' })
  eventTypes?: string[] | null;
}

export const UpdateWebhookEndpointPayload = payloadOf(WebhookEndpoint, 'webhookEndpoint', 'UpdateWebhookEndpointPayload', 'Result of updateWebhookEndpoint.');
export const DisableWebhookEndpointInput = targetInputOf('DisableWebhookEndpointInput', 'WebhookEndpoint', 'The endpoint to disable.');
export const DisableWebhookEndpointPayload = payloadOf(WebhookEndpoint, 'webhookEndpoint', 'DisableWebhookEndpointPayload', 'Result of disableWebhookEndpoint.');
export const EnableWebhookEndpointInput = targetInputOf('EnableWebhookEndpointInput', 'WebhookEndpoint', 'The endpoint to enable again.');
export const EnableWebhookEndpointPayload = payloadOf(WebhookEndpoint, 'webhookEndpoint', 'EnableWebhookEndpointPayload', 'Result of enableWebhookEndpoint.');
export const RotateWebhookSecretInput = targetInputOf('RotateWebhookSecretInput', 'WebhookEndpoint', 'The endpoint whose signing secret to replace.');

@InputType({ description: 'The webhook endpoint to delete.' })
export class DeleteWebhookEndpointInput {
  @Field(() => ID, { description: 'Id of the endpoint.' })
  id!: string;
}

@ObjectType({ description: 'Result of deleteWebhookEndpoint.' })
export class DeleteWebhookEndpointPayload {
  @Field(() => ID, { nullable: true, description: 'Id of the deleted endpoint; null when the mutation failed.' })
  deletedId!: string | null;

  @Field(() => [UserError], { description: 'Expected failures; empty on success.' })
  userErrors!: UserError[];
}
