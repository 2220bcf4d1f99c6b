import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../access/access';
import type { Context } from '../../access/context';
import {
  MarkAllNotificationsReadInput, MarkAllNotificationsReadPayload, MarkNotificationsReadInput, MarkNotificationsReadPayload,
} from './notification.types';
import { notificationService } from './notification.service';

@Resolver()
export class NotificationMutations {
  @Access('authenticated')
  @Mutation(() => MarkNotificationsReadPayload, { description: 'Marks some of the viewer\'s notifications read. Another user\'s notification is NOT_FOUND, like a random id.' })
  markNotificationsRead(@Arg('input', () => MarkNotificationsReadInput) input: MarkNotificationsReadInput, @Ctx() ctx: Context) {
    return notificationService.markRead(ctx, input);
  }

  @Access('authenticated')
  @Mutation(() => MarkAllNotificationsReadPayload, { description: 'Marks every unread notification of the viewer read (those delivered up to deliveredBefore).' })
  markAllNotificationsRead(@Arg('input', () => MarkAllNotificationsReadInput) input: MarkAllNotificationsReadInput, @Ctx() ctx: Context) {
    return notificationService.markAllRead(ctx, input);
  }
}
