import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Access, RequiresScope } from '../../access/access';
import { can } from '../../access/policy';
import { authed, type Context } from '../../access/context';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { ApiTokenScope, Organization, User } from '../../model/identity.entity';
import { WebhookDelivery, WebhookEndpoint } from '../../model/webhook.entity';
import { Viewer } from '../identity/identity.types';
import {
  CreateWebhookEndpointInput, DeleteWebhookEndpointInput, DeleteWebhookEndpointPayload, DisableWebhookEndpointInput,
  DisableWebhookEndpointPayload, EnableWebhookEndpointInput, EnableWebhookEndpointPayload, RotateWebhookSecretInput,
  UpdateWebhookEndpointInput, UpdateWebhookEndpointPayload, WebhookSecretPayload,
} from './webhook.mutation-inputs';
import { webhookService } from './webhook.service';

export const WebhookEndpointConnection = connectionOf(WebhookEndpoint, 'WebhookEndpoint');
export const WebhookDeliveryConnection = connectionOf(WebhookDelivery, 'WebhookDelivery');

const MANAGE = 'Only the administrators of an organization\'s webhooks (operator ADMINs, investor users, partner MEMBERs) can manage its webhook endpoints';

@Resolver(() => Viewer)
export class ViewerWebhooksResolver {
  @FieldResolver(() => WebhookEndpointConnection, { description: 'The webhook endpoints of the viewer\'s organization, newest first; empty unless the viewer administers its webhooks.' })
  webhookEndpoints(@Root() _v: Viewer, @Args() args: ConnectionArgs, @Ctx() ctx: Context) {
    return authed(ctx).reader.connection(WebhookEndpoint, args, { sort: 'createdAt', desc: true });
  }
}

@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  @FieldResolver(() => WebhookDeliveryConnection, { description: 'The delivery log of this endpoint, newest first.' })
  deliveries(@Root() endpoint: WebhookEndpoint, @Args() args: ConnectionArgs, @Ctx() ctx: Context) {
    return authed(ctx).reader.childConnection(WebhookDelivery, 'endpoint', endpoint, args, { sort: 'createdAt', desc: true }, 'deliveries');
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The organization the endpoint belongs to.' })
  organization(@Root() endpoint: WebhookEndpoint, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(Organization).load(endpoint.organization.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who created the endpoint.' })
  createdBy(@Root() endpoint: WebhookEndpoint, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(User).load(endpoint.createdBy.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Whose visibility the endpoint carries: who created it or last changed, enabled or rotated it. It receives only the events this user may see.' })
  approvedBy(@Root() endpoint: WebhookEndpoint, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(User).load(endpoint.approvedBy.id);
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => WebhookEndpoint, { nullable: true, description: 'The endpoint it was sent to.' })
  endpoint(@Root() delivery: WebhookDelivery, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(WebhookEndpoint).load(delivery.endpoint.id);
  }
}

@Resolver()
export class WebhookMutations {
  @Access(can.manageWebhooks, MANAGE)
  @RequiresScope(ApiTokenScope.ADMIN)
  @Mutation(() => WebhookSecretPayload, { description: 'Adds a webhook endpoint to the viewer\'s organization; returns its signing secret once. The viewer is its approver: it receives the events the viewer may see.' })
  createWebhookEndpoint(@Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput, @Ctx() ctx: Context) {
    return webhookService.create(ctx, input);
  }

  @Access(can.manageWebhooks, MANAGE)
  @RequiresScope(ApiTokenScope.ADMIN)
  @Mutation(() => UpdateWebhookEndpointPayload, { description: 'Changes a webhook endpoint\'s address, description or event types; the viewer becomes its approver.' })
  updateWebhookEndpoint(@Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput, @Ctx() ctx: Context) {
    return webhookService.update(ctx, input);
  }

  @Access(can.manageWebhooks, MANAGE)
  @RequiresScope(ApiTokenScope.ADMIN)
  @Mutation(() => DisableWebhookEndpointPayload, { description: 'Stops sending events to a webhook endpoint (queued deliveries are dropped).' })
  disableWebhookEndpoint(@Arg('input', () => DisableWebhookEndpointInput) input: InstanceType<typeof DisableWebhookEndpointInput>, @Ctx() ctx: Context) {
    return webhookService.disable(ctx, input);
  }

  @Access(can.manageWebhooks, MANAGE)
  @RequiresScope(ApiTokenScope.ADMIN)
  @Mutation(() => EnableWebhookEndpointPayload, { description: 'Sends events to a disabled webhook endpoint again, from new events on; the viewer becomes its approver.' })
  enableWebhookEndpoint(@Arg('input', () => EnableWebhookEndpointInput) input: InstanceType<typeof EnableWebhookEndpointInput>, @Ctx() ctx: Context) {
    return webhookService.enable(ctx, input);
  }

  @Access(can.manageWebhooks, MANAGE)
  @RequiresScope(ApiTokenScope.ADMIN)
  @Mutation(() => WebhookSecretPayload, { description: 'Replaces a webhook endpoint\'s signing secret at once and returns the new one, once.' })
  rotateWebhookSecret(@Arg('input', () => RotateWebhookSecretInput) input: InstanceType<typeof RotateWebhookSecretInput>, @Ctx() ctx: Context) {
    return webhookService.rotateSecret(ctx, input);
  }

  @Access(can.manageWebhooks, MANAGE)
  @RequiresScope(ApiTokenScope.ADMIN)
  @Mutation(() => DeleteWebhookEndpointPayload, { description: 'Deletes a webhook endpoint and its delivery log.' })
  deleteWebhookEndpoint(@Arg('input', () => DeleteWebhookEndpointInput) input: DeleteWebhookEndpointInput, @Ctx() ctx: Context) {
    return webhookService.delete(ctx, input);
  }
}

export const webhookResolvers = [ViewerWebhooksResolver, WebhookEndpointResolver, WebhookDeliveryResolver, WebhookMutations] as const;
