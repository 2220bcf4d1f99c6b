/**
 * Live updates (docs/subscriptions.md): what a committed change tells the
 * subscribers of this instance.
 *
 * The database announces each domain event at commit on `vantage_event`
 * (`{"id","type","subjectType","subjectId","projectId"}`) and each delivered
 * notification on `vantage_notification` (`{"id","userId"}`). The instance's
 * one LISTEN session (the viewer cache's, viewer-cache.ts) hands them to the
 * hub, which queues each to the local subscriptions whose topic matches: a
 * project, or a user's own notifications.
 *
 * Nothing from the writer is passed on: a message carries ids only. Each
 * subscription turns a message into what it sends by reading through its
 * subscriber's scoped reader at that moment — a fresh EntityManager fork, the
 * viewer resolved again from the subscriber's credential — and sends nothing
 * when the object is not visible to them now. A credential that no longer
 * resolves (revoked token, disabled user, expired access token) ends the
 * connection with close code 4401; so does a viewer invalidation for that
 * user (viewer-cache.ts) when re-resolving fails.
 *
 * Per message, the subscriptions that present the same credential share one
 * resolution and one reader (the same viewer at the same moment), so a
 * thousand subscriptions of one user on one project cost one viewer and one
 * batched read per event, not a thousand.
 *
 * Bounded: each subscription queues at most `queueSize` messages (messages
 * about an object already queued are merged, since the object is read when
 * the message is sent); a subscriber that falls further behind is
 * disconnected (close code 4430) to reconnect and refetch. Subscriptions per
 * connection and per user on this instance are limited.
 */
import type { EntityClass } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import type { Logger } from '../core/logger';
import { EVENT_CHANNEL, NOTIFICATION_CHANNEL } from '../core/channels';
import { LimitError } from '../core/limits.errors';
import { entities } from '../model/entities';
import { Node } from '../model/node';
import { buildContext, type Context } from './context';
import type { Viewer } from './viewer';
import { VIEWER_CHANNEL, type ViewerCache } from './viewer-cache';


/** Close codes of the WebSocket transport (src/http/subscriptions.ts) that the hub decides. */
export const CLOSE = {
  /** The credential no longer resolves to a viewer (revoked, expired, disabled), or none was given. */
  UNAUTHORIZED: 4401,
  /** The subscriber fell more than the queue size behind. */
  TOO_SLOW: 4430,
  /** The instance lost its LISTEN session: messages may have been missed; reconnect and refetch. */
  INTERRUPTED: 1013,
  /** The server is stopping. */
  GOING_AWAY: 1001,
} as const;

export interface LiveEvent { id: string; type: string; subjectType: string; subjectId: string; projectId: string | null }
export interface LiveNotification { id: string; userId: string }

export type Topic = { kind: 'project'; projectId: string } | { kind: 'user'; userId: string };

export interface LiveOptions {
  /** Messages one subscription may have waiting; beyond, its connection is closed. */
  queueSize: number;
  /** Active subscriptions per connection. */
  perConnection: number;
  /** Active subscriptions per user on one instance, all connections together. */
  perViewer: number;
}

export interface LiveStats { received: number; delivered: number; skipped: number; merged: number; overflows: number; revoked: number }

/** Stored objects that are nodes, by GraphQL type name: how a message's subject is read. */
const NODE_TYPES = new Map<string, EntityClass<any>>(
  entities.filter((e) => e.prototype instanceof Node).map((e) => [e.name, e as EntityClass<any>]),
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseEvent(payload: string): LiveEvent | null {
  try {
    const e = JSON.parse(payload) as Partial<LiveEvent>;
    if (typeof e.id !== 'string' || typeof e.type !== 'string' || typeof e.subjectType !== 'string' || typeof e.subjectId !== 'string') return null;
    if (!UUID.test(e.subjectId) || (e.projectId != null && !UUID.test(e.projectId))) return null;
    return { id: e.id, type: e.type, subjectType: e.subjectType, subjectId: e.subjectId.toLowerCase(), projectId: e.projectId ? e.projectId.toLowerCase() : null };
  } catch {
    return null;
  }
}

function parseNotification(payload: string): LiveNotification | null {
  try {
    const n = JSON.parse(payload) as Partial<LiveNotification>;
    if (typeof n.id !== 'string' || typeof n.userId !== 'string' || !UUID.test(n.id) || !UUID.test(n.userId)) return null;
    return { id: n.id.toLowerCase(), userId: n.userId.toLowerCase() };
  } catch {
    return null;
  }
}

/**
 * One message's reading moment: the subscriptions presenting the same
 * credential share the viewer resolved for it and its reader.
 */
class Round {
  private readonly contexts = new Map<string, Promise<Context>>();

  constructor(private readonly orm: MikroORM, private readonly config: Config) {}

  contextFor(authorization: string): Promise<Context> {
    let context = this.contexts.get(authorization);
    if (!context) {
      context = buildContext(this.orm, this.config, authorization);
      this.contexts.set(authorization, context);
    }
    return context;
  }
}

interface Item { message: LiveEvent | LiveNotification; key: string; round: Round }

/** A subscription's messages, read for its subscriber; the AsyncIterator graphql-js maps over. */
export class Feed<T> implements AsyncIterableIterator<T> {
  private readonly queue: Item[] = [];
  private readonly queued = new Set<string>();
  private wake: (() => void) | null = null;
  private finished = false;

  constructor(
    readonly session: LiveSession,
    readonly topic: Topic,
    /** The operation's context: each message's viewer, EntityManager and reader are put in it before its fields resolve. */
    private readonly context: Context,
    private readonly read: (context: Context, message: any) => Promise<T | null>,
  ) {}

  push(item: Item): void {
    if (this.finished) return;
    if (this.queued.has(item.key)) {
      this.session.hub.stats.merged += 1;
      return;
    }
    if (this.queue.length >= this.session.hub.options.queueSize) {
      this.session.hub.stats.overflows += 1;
      this.session.end(CLOSE.TOO_SLOW, 'Too slow: live updates were dropped; reconnect and refetch');
      return;
    }
    this.queue.push(item);
    this.queued.add(item.key);
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Messages waiting (for the benchmark and the metrics). */
  get pending(): number {
    return this.queue.length;
  }

  async next(): Promise<IteratorResult<T>> {
    while (!this.finished) {
      const item = this.queue.shift();
      if (!item) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      this.queued.delete(item.key);
      let context: Context;
      try {
        context = await item.round.contextFor(this.session.authorization);
      } catch (err) {
        this.session.hub.logger.warn({ err }, 'live: the subscriber\'s viewer could not be read; message skipped');
        continue;
      }
      if (!context.viewer) {
        this.session.hub.stats.revoked += 1;
        this.session.end(CLOSE.UNAUTHORIZED, context.authProblem ?? 'Authentication required');
        break;
      }
      Object.assign(this.context, { em: context.em, viewer: context.viewer, reader: context.reader, authProblem: null });
      let value: T | null;
      try {
        value = await this.read(context, item.message);
      } catch (err) {
        this.session.hub.logger.warn({ err }, 'live: a message could not be read; skipped');
        continue;
      }
      if (value == null) {
        this.session.hub.stats.skipped += 1;
        continue;
      }
      this.session.hub.stats.delivered += 1;
      return { value, done: false };
    }
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<T>> {
    this.finish();
    return { value: undefined, done: true };
  }

  async throw(err?: unknown): Promise<IteratorResult<T>> {
    this.finish();
    throw err;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.queue.length = 0;
    this.queued.clear();
    this.session.hub.remove(this);
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/** One WebSocket connection: its credential, its subscriptions, and how to close it. */
export class LiveSession {
  readonly feeds = new Set<Feed<unknown>>();
  private closed = false;

  constructor(
    readonly hub: LiveHub,
    /** `Bearer <token>`, resolved again for every message. */
    readonly authorization: string,
    readonly userId: string,
    private readonly closeConnection: (code: number, reason: string) => void,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Closes the connection (once); its subscriptions end. */
  end(code: number, reason: string): void {
    if (this.closed) return;
    this.dispose();
    this.closeConnection(code, reason);
  }

  /** The connection is gone: its subscriptions end, nothing more is queued for it. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const feed of [...this.feeds]) feed.finish();
    this.hub.detach(this);
  }
}

/** The instance's dispatcher from the LISTEN session to the local subscriptions. */
export class LiveHub {
  private readonly byProject = new Map<string, Set<Feed<unknown>>>();
  private readonly byUser = new Map<string, Set<Feed<unknown>>>();
  private readonly sessions = new Map<string, Set<LiveSession>>();
  private readonly perUser = new Map<string, number>();
  private stopListening: (() => void)[] = [];
  private active = 0;
  readonly stats: LiveStats = { received: 0, delivered: 0, skipped: 0, merged: 0, overflows: 0, revoked: 0 };

  constructor(
    private readonly orm: MikroORM,
    private readonly config: Config,
    private readonly listener: ViewerCache,
    readonly options: LiveOptions,
    readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>,
  ) {}

  start(): void {
    this.stopListening = [
      this.listener.listen(EVENT_CHANNEL, (payload) => this.onEvent(payload)),
      this.listener.listen(NOTIFICATION_CHANNEL, (payload) => this.onNotification(payload)),
      this.listener.listen(VIEWER_CHANNEL, (payload) => this.onViewerChange(payload)),
      // Messages announced while no session listened are lost: the subscribers reconnect and refetch.
      this.listener.onListening((listening) => {
        if (!listening) this.endAll(CLOSE.INTERRUPTED, 'Live updates were interrupted: reconnect and refetch');
      }),
    ];
  }

  stop(): void {
    for (const off of this.stopListening) off();
    this.stopListening = [];
    this.endAll(CLOSE.GOING_AWAY, 'The server is stopping');
  }

  /** Whether messages can arrive now. */
  get live(): boolean {
    return this.listener.live;
  }

  /** Active subscriptions on this instance. */
  get size(): number {
    return this.active;
  }

  get connections(): number {
    let n = 0;
    for (const set of this.sessions.values()) n += set.size;
    return n;
  }

  open(authorization: string, viewer: Viewer, close: (code: number, reason: string) => void): LiveSession {
    const session = new LiveSession(this, authorization, viewer.userId, close);
    let set = this.sessions.get(viewer.userId);
    if (!set) this.sessions.set(viewer.userId, (set = new Set()));
    set.add(session);
    return session;
  }

  detach(session: LiveSession): void {
    const set = this.sessions.get(session.userId);
    if (!set) return;
    set.delete(session);
    if (!set.size) this.sessions.delete(session.userId);
  }

  /** Registers a subscription; refused (RATE_LIMITED) past the per-connection or per-user limit. */
  add<T>(session: LiveSession, topic: Topic, context: Context, read: (context: Context, message: any) => Promise<T | null>): Feed<T> {
    if (session.isClosed) throw new LimitError('This connection is closing', 'SERVICE_UNAVAILABLE', 503);
    if (session.feeds.size >= this.options.perConnection) {
      throw new LimitError(`Too many subscriptions on this connection (at most ${this.options.perConnection}): complete one first`, 'RATE_LIMITED', 429);
    }
    const count = this.perUser.get(session.userId) ?? 0;
    if (count >= this.options.perViewer) {
      throw new LimitError(`Too many subscriptions for this user (at most ${this.options.perViewer} per server): complete one first`, 'RATE_LIMITED', 429);
    }
    const feed = new Feed<T>(session, topic, context, read);
    const index = topic.kind === 'project' ? this.byProject : this.byUser;
    const key = topic.kind === 'project' ? topic.projectId : topic.userId;
    let set = index.get(key);
    if (!set) index.set(key, (set = new Set()));
    set.add(feed as Feed<unknown>);
    session.feeds.add(feed as Feed<unknown>);
    this.perUser.set(session.userId, count + 1);
    this.active += 1;
    return feed;
  }

  remove(feed: Feed<unknown>): void {
    const index = feed.topic.kind === 'project' ? this.byProject : this.byUser;
    const key = feed.topic.kind === 'project' ? feed.topic.projectId : feed.topic.userId;
    const set = index.get(key);
    if (!set?.delete(feed)) return;
    if (!set.size) index.delete(key);
    feed.session.feeds.delete(feed);
    const count = (this.perUser.get(feed.session.userId) ?? 1) - 1;
    if (count > 0) this.perUser.set(feed.session.userId, count);
    else this.perUser.delete(feed.session.userId);
    this.active -= 1;
  }

  /** Queues a message to the feeds of a topic (also what the tests and the benchmark call to inject one). */
  dispatchEvent(event: LiveEvent): void {
    if (!event.projectId) return;
    const feeds = this.byProject.get(event.projectId);
    if (!feeds?.size) return;
    const item: Item = { message: event, key: `${event.subjectType}:${event.subjectId}`, round: new Round(this.orm, this.config) };
    for (const feed of [...feeds]) feed.push(item);
  }

  private onEvent(payload: string): void {
    this.stats.received += 1;
    const event = parseEvent(payload);
    if (!event) {
      this.logger.warn({ payload: payload.slice(0, 200) }, 'live: an event notification that is not one; ignored');
      return;
    }
    this.dispatchEvent(event);
  }

  private onNotification(payload: string): void {
    this.stats.received += 1;
    const notification = parseNotification(payload);
    if (!notification) {
      this.logger.warn({ payload: payload.slice(0, 200) }, 'live: a notification message that is not one; ignored');
      return;
    }
    const feeds = this.byUser.get(notification.userId);
    if (!feeds?.size) return;
    const item: Item = { message: notification, key: notification.id, round: new Round(this.orm, this.config) };
    for (const feed of [...feeds]) feed.push(item);
  }

  /**
   * Something a viewer is built from changed (viewer-cache.ts): each
   * connection of that user resolves its credential again now, and is closed
   * when it no longer resolves, without waiting for its next message.
   */
  private onViewerChange(payload: string): void {
    const colon = payload.lastIndexOf(':');
    const userId = payload === '*' ? null : colon > 0 ? payload.slice(0, colon) : payload;
    const sessions = userId ? [...(this.sessions.get(userId) ?? [])] : [...this.sessions.values()].flatMap((s) => [...s]);
    if (!sessions.length) return;
    const round = new Round(this.orm, this.config);
    for (const session of sessions) {
      round.contextFor(session.authorization).then((context) => {
        if (context.viewer) return;
        this.stats.revoked += 1;
        session.end(CLOSE.UNAUTHORIZED, context.authProblem ?? 'Authentication required');
      }, (err: unknown) => this.logger.warn({ err }, 'live: a subscriber\'s viewer could not be read again'));
    }
  }

  private endAll(code: number, reason: string): void {
    for (const set of [...this.sessions.values()]) for (const session of [...set]) session.end(code, reason);
  }
}

/** A context that a WebSocket operation runs with: the request context plus its connection. */
export interface LiveContext extends Context {
  live?: LiveSession;
}

/**
 * The feed a subscription field returns: messages on `topic`, each turned
 * into what to send by `read` through the subscriber's reader at that
 * moment (null: not visible now, nothing sent).
 */
export function liveFeed<T>(context: Context, topic: Topic, read: (context: Context, message: any) => Promise<T | null>): Feed<T> {
  const session = (context as LiveContext).live;
  if (!session) throw new LimitError('Subscriptions are served over WebSocket at /graphql (protocol graphql-transport-ws)', 'BAD_USER_INPUT', 400);
  return session.hub.add(session, topic, context, read);
}

/** The subject of an event as the reader's viewer may see it now; null when it is not visible (or not a node). */
export function visibleSubject(context: Context, event: LiveEvent): Promise<Node | null> {
  const entity = NODE_TYPES.get(event.subjectType);
  if (!entity || !context.reader) return Promise.resolve(null);
  return context.reader.byId(entity).load(event.subjectId) as Promise<Node | null>;
}
