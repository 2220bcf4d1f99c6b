import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../../core/pagination';
import { DateTimeScalar } from '../../core/scalars';
import { UserError } from '../../core/user-error';
import { Notification } from '../../model/event.entity';

@ObjectType({ description: 'A Notification in a connection, with its cursor.' })
export class NotificationEdge {
  @Field({ description: 'Opaque position of this edge, for after/before.' })
  cursor!: string;

  @Field(() => Notification, { description: 'The Notification.' })
  node!: Notification;
}

@ObjectType({ description: 'A page of the viewer\'s notifications, newest first, and how many are unread.' })
export class NotificationConnection {
  @Field(() => [NotificationEdge], { description: 'The edges of this page.' })
  edges!: NotificationEdge[];

  @Field(() => [Notification], { description: 'The nodes of this page (shortcut for edges.node).' })
  nodes!: Notification[];

  @Field(() => PageInfo, { description: 'Pagination information.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Number of notifications in the whole connection (with unreadOnly, the unread ones), across all pages.' })
  totalCount!: number;

  @Field(() => Int, { description: 'Number of the viewer\'s unread notifications, whatever the filter.' })
  unreadCount!: number;
}

@InputType({ description: 'Notifications of the viewer to mark read.' })
export class MarkNotificationsReadInput {
  @Field(() => [ID], { description: 'Ids of your notifications (1–100). Ones already read stay as they were.' })
  ids!: string[];
}

@InputType({ description: 'Marks every unread notification of the viewer read.' })
export class MarkAllNotificationsReadInput {
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Only those delivered at or before this instant (e.g. when the list was shown), so one that arrived since stays unread; default: now.',
  })
  deliveredBefore?: Date | null;
}

@ObjectType({ description: 'Result of markNotificationsRead.' })
export class MarkNotificationsReadPayload {
  @Field(() => [Notification], { nullable: true, description: 'The notifications named, now read; null on failure.' })
  notifications!: Notification[] | null;

  @Field(() => Int, { nullable: true, description: 'The viewer\'s unread notifications after the change.' })
  unreadCount!: number | null;

  @Field(() => [UserError], { description: 'Expected failures; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of markAllNotificationsRead.' })
export class MarkAllNotificationsReadPayload {
  @Field(() => Int, { nullable: true, description: 'How many notifications this marked read.' })
  marked!: number | null;

  @Field(() => Int, { nullable: true, description: 'The viewer\'s unread notifications after the change.' })
  unreadCount!: number | null;

  @Field(() => [UserError], { description: 'Expected failures; empty on success.' })
  userErrors!: UserError[];
}
