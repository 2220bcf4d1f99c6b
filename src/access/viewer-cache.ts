/**
 * The viewer cache: a bounded in-process map from a credential (an access
 * token's user, an API token's hash) to the viewer built for it, so a
 * request with a known credential reads nothing from PostgreSQL to learn who
 * is asking. The JWT's signature and expiry and the API token's expiry are
 * still checked on every request (auth.ts).
 *
 * Invalidation: triggers bump `viewer_version` and NOTIFY `vantage_viewer`
 * with `<user id>:<version>` in the transaction of every change a viewer is
 * built from (docs/scaling.md lists them). One dedicated connection per
 * instance LISTENs; a notification drops every entry of that user. `*` (a
 * TRUNCATE) drops everything.
 *
 * Fail safe: the cache serves and stores entries only while that connection
 * is known to work. A heartbeat NOTIFY on the instance's own channel must
 * come back within the heartbeat interval; a connection that errs, ends or
 * misses a heartbeat is dropped, the cache is emptied (notifications may
 * have been missed) and every request reads its viewer from the database
 * until a new connection is listening (reconnecting with backoff).
 *
 * Races: an entry built from a read that started before a change but stored
 * after its notification was processed would be stale for good. Each build
 * takes a ticket before it reads; a notification for its user (or a
 * reconnect, or `*`) processed after the ticket refuses the store, and a
 * notification processed after the store deletes the entry. The version
 * read with the viewer is kept too: an entry whose version is older than
 * one already announced is never stored.
 *
 * The same connection is the instance's one LISTEN session for other
 * channels too (`listen(channel, handler)`: the live updates of
 * src/access/live.ts), so they share its reconnect, backoff and heartbeat.
 * With VIEWER_CACHE_SIZE=0 the server still runs it for them, without
 * attaching the cache to requests.
 */
import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import pg from 'pg';
import type { Logger } from '../core/logger';
import type { Viewer } from './viewer';

export const VIEWER_CHANNEL = 'vantage_viewer';

export interface CachedViewer {
  viewer: Viewer;
  userId: string;
  /** viewer_version of the user when the viewer was read. */
  version: number;
  /** API tokens: expiry (epoch ms, null: never) and the last `lastUsedAt` written. */
  tokenExpiresAt?: number | null;
  tokenLastUsedAt?: number | null;
}

export interface Ticket { epoch: number; seq: number }

export interface ViewerCacheOptions {
  url: string;
  size: number;
  heartbeatMs: number;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface ViewerCacheStats { hits: number; misses: number; stores: number; refusedStores: number; invalidations: number; connects: number; drops: number }

export class ViewerCache {
  private readonly entries: LRUCache<string, CachedViewer>;
  /** user id → keys of their entries (an access token's, each API token's). */
  private readonly keysOf = new Map<string, Set<string>>();
  /** user id → the local sequence number of the last notification about them, and the highest version announced. */
  private readonly notified: LRUCache<string, { seq: number; version: number }>;
  /** Highest sequence number pushed out of `notified`: a ticket older than it cannot be checked, so its store is refused. */
  private evictedSeq = 0;
  private seq = 0;
  /** Changes at every connect and drop: a ticket from another epoch stores nothing. */
  private epoch = 0;
  private listening = false;
  private client: pg.Client | null = null;
  private stopped = true;
  private backoffMs = 100;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private readonly pingChannel = `${VIEWER_CHANNEL}_${randomBytes(6).toString('hex')}`;
  private pingCounter = 0;
  /** The first failure after a start or a loss is logged; the retries are not. */
  private quiet = false;
  private readonly pings = new Map<string, { resolve: () => void; timer: NodeJS.Timeout }>();
  /** Other channels' handlers (VIEWER_CHANNEL's too: they run after the invalidation). */
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  /** Called with true when a connection starts listening, false when it is lost (notifications may be missed until the next true). */
  private readonly stateHandlers = new Set<(listening: boolean) => void>();
  readonly stats: ViewerCacheStats = { hits: 0, misses: 0, stores: 0, refusedStores: 0, invalidations: 0, connects: 0, drops: 0 };

  constructor(private readonly options: ViewerCacheOptions) {
    this.entries = new LRUCache<string, CachedViewer>({
      // At least one: a server without the cache still runs this connection for listen().
      max: Math.max(1, options.size),
      dispose: (value, key) => {
        const keys = this.keysOf.get(value.userId);
        if (!keys) return;
        keys.delete(key);
        if (!keys.size) this.keysOf.delete(value.userId);
      },
    });
    this.notified = new LRUCache<string, { seq: number; version: number }>({
      max: Math.max(1000, options.size * 4),
      dispose: (value, _key, reason) => {
        if (reason === 'evict') this.evictedSeq = Math.max(this.evictedSeq, value.seq);
      },
    });
  }

  /** Whether notifications are known to arrive: only then are entries served and stored. */
  get live(): boolean {
    return this.listening;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    await this.drop(null);
  }

  /**
   * Calls `handler` with the payload of every notification on `channel`
   * while a connection listens (LISTEN is issued on every (re)connect).
   * Returns the function that removes the handler.
   */
  listen(channel: string, handler: (payload: string) => void): () => void {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`listen: ${channel} is not a plain channel name`);
    let set = this.handlers.get(channel);
    if (!set) {
      this.handlers.set(channel, (set = new Set()));
      const client = this.client;
      if (client && this.listening && channel !== VIEWER_CHANNEL) client.query(`LISTEN ${channel}`).catch((err: Error) => void this.drop(client, err));
    }
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }

  /** Calls `handler(true)` whenever a connection starts listening and `handler(false)` when it is lost. */
  onListening(handler: (listening: boolean) => void): () => void {
    this.stateHandlers.add(handler);
    return () => {
      this.stateHandlers.delete(handler);
    };
  }

  private emitState(listening: boolean): void {
    for (const handler of this.stateHandlers) {
      try {
        handler(listening);
      } catch (err) {
        this.options.logger?.warn({ err: (err as Error).message }, 'listen: a state handler failed');
      }
    }
  }

  get(key: string): CachedViewer | undefined {
    if (!this.listening) return undefined;
    const entry = this.entries.get(key);
    if (entry) this.stats.hits += 1;
    else this.stats.misses += 1;
    return entry;
  }

  /** Taken before a viewer is read; null when the cache is not live (the viewer is then not stored). */
  ticket(): Ticket | null {
    return this.listening ? { epoch: this.epoch, seq: this.seq } : null;
  }

  /** Stores an entry read after `ticket`, unless something about its user was announced since. */
  set(key: string, entry: CachedViewer, ticket: Ticket | null): boolean {
    const refuse = () => {
      this.stats.refusedStores += 1;
      return false;
    };
    if (!ticket || !this.listening || ticket.epoch !== this.epoch) return refuse();
    if (this.evictedSeq > ticket.seq) return refuse();
    const last = this.notified.get(entry.userId);
    if (last && (last.seq > ticket.seq || last.version > entry.version)) return refuse();
    this.entries.set(key, entry);
    let keys = this.keysOf.get(entry.userId);
    if (!keys) this.keysOf.set(entry.userId, (keys = new Set()));
    keys.add(key);
    this.stats.stores += 1;
    return true;
  }

  /** Updates an entry in place (an API token's lastUsedAt) without touching its recency rules. */
  touch(key: string, lastUsedAt: number): void {
    const entry = this.entries.peek(key);
    if (entry) entry.tokenLastUsedAt = lastUsedAt;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Resolves once every notification committed before the call has been
   * processed: a ping NOTIFY sent now commits after them, and notifications
   * arrive in commit order. Used after a mutation, so the instance that
   * wrote never serves what it just changed.
   */
  async sync(): Promise<void> {
    if (!this.listening) return;
    await this.ping();
  }

  /** One notification's effect. */
  private invalidate(payload: string): void {
    this.seq += 1;
    this.stats.invalidations += 1;
    if (payload === '*') {
      this.epoch += 1;
      this.clear();
      return;
    }
    const colon = payload.lastIndexOf(':');
    const userId = colon > 0 ? payload.slice(0, colon) : payload;
    const version = colon > 0 ? Number(payload.slice(colon + 1)) : Number.MAX_SAFE_INTEGER;
    const before = this.notified.get(userId);
    this.notified.set(userId, { seq: this.seq, version: Math.max(version, before?.version ?? 0) });
    const keys = this.keysOf.get(userId);
    if (keys) for (const key of [...keys]) this.entries.delete(key);
  }

  private clear(): void {
    this.entries.clear();
    this.keysOf.clear();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.options.url,
      keepAlive: true,
      application_name: 'vantage-viewer-cache',
      connectionTimeoutMillis: Math.max(1000, this.options.heartbeatMs),
    });
    this.client = client;
    client.on('error', (err) => void this.drop(client, err));
    client.on('end', () => void this.drop(client, new Error('connection ended')));
    client.on('notification', (msg) => {
      if (client !== this.client) return;
      if (msg.channel === this.pingChannel) {
        const ping = this.pings.get(msg.payload ?? '');
        if (ping) {
          this.pings.delete(msg.payload ?? '');
          clearTimeout(ping.timer);
          ping.resolve();
        }
        return;
      }
      if (msg.channel === VIEWER_CHANNEL) this.invalidate(msg.payload ?? '');
      const handlers = this.handlers.get(msg.channel);
      if (handlers) {
        for (const handler of handlers) {
          try {
            handler(msg.payload ?? '');
          } catch (err) {
            this.options.logger?.warn({ err: (err as Error).message, channel: msg.channel }, 'listen: a handler failed');
          }
        }
      }
    });
    // A connection that hangs half-way is given up like one that fails.
    const limitMs = Math.max(5_000, this.options.heartbeatMs);
    const hung = setTimeout(() => void this.drop(client, new Error(`not listening within ${limitMs} ms`)), limitMs);
    hung.unref();
    try {
      await client.connect();
      await client.query(`LISTEN ${VIEWER_CHANNEL}`);
      await client.query(`LISTEN ${this.pingChannel}`);
      for (const channel of this.handlers.keys()) if (channel !== VIEWER_CHANNEL) await client.query(`LISTEN ${channel}`);
    } catch (err) {
      void this.drop(client, err as Error);
      return;
    } finally {
      clearTimeout(hung);
    }
    if (client !== this.client || this.stopped) return;
    // Anything announced while no connection listened is unknown: start empty.
    this.epoch += 1;
    this.clear();
    this.listening = true;
    this.backoffMs = 100;
    this.quiet = false;
    this.stats.connects += 1;
    this.options.logger?.info({ connects: this.stats.connects }, 'viewer cache: listening for invalidations');
    this.heartbeatTimer = setInterval(() => void this.ping(), this.options.heartbeatMs);
    this.heartbeatTimer.unref();
    this.emitState(true);
  }

  /** A ping on the instance's own channel, answered within the heartbeat interval or the connection is dropped. */
  private ping(): Promise<void> {
    const client = this.client;
    if (!client || !this.listening) return Promise.resolve();
    this.pingCounter += 1;
    const nonce = String(this.pingCounter);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.pings.delete(nonce);
        void this.drop(client, new Error(`no heartbeat within ${this.options.heartbeatMs} ms`));
        resolve();
      }, this.options.heartbeatMs);
      timer.unref();
      this.pings.set(nonce, { resolve, timer });
      // The session must still hold its LISTEN: through a transaction-mode pool a statement may land on
      // another server connection, whose notifications would never reach this one.
      client.query<{ listening: boolean }>('select pg_notify($1, $2), $3 = any(array(select pg_listening_channels())) as listening', [this.pingChannel, nonce, VIEWER_CHANNEL])
        .then((res) => {
          if (!res.rows[0]?.listening) void this.drop(client, new Error('this session no longer LISTENs (a transaction-mode pool?): set DATABASE_LISTEN_URL to PostgreSQL itself'));
        })
        .catch((err: Error) => void this.drop(client, err));
    });
  }

  /** Stops serving from the cache, empties it and (unless stopped) connects again after a backoff. */
  private drop(client: pg.Client | null, err?: Error): Promise<void> {
    if (client && client !== this.client) return Promise.resolve();
    const was = this.client;
    this.client = null;
    const wasListening = this.listening;
    this.listening = false;
    this.epoch += 1;
    this.clear();
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    for (const [nonce, ping] of this.pings) {
      clearTimeout(ping.timer);
      ping.resolve();
      this.pings.delete(nonce);
    }
    let ended = Promise.resolve();
    if (was) {
      was.removeAllListeners('notification');
      was.on('error', () => undefined);
      ended = was.end().catch(() => undefined);
    }
    if (wasListening) {
      this.stats.drops += 1;
      this.emitState(false);
    }
    if (!this.stopped && (wasListening || !this.quiet)) {
      this.quiet = true;
      this.options.logger?.warn({ err: err?.message }, 'viewer cache: no connection listening for invalidations; viewers are read per request until there is one');
    }
    if (this.stopped || this.reconnectTimer) return ended;
    const delay = this.backoffMs + Math.floor(Math.random() * this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, 5_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref();
    return ended;
  }
}

/** The cache of a server's ORM, so the request context finds it without a parameter through every layer. */
const caches = new WeakMap<object, ViewerCache>();

export function attachViewerCache(owner: object, cache: ViewerCache): void {
  caches.set(owner, cache);
}

export function detachViewerCache(owner: object): void {
  caches.delete(owner);
}

export function viewerCacheOf(owner: object): ViewerCache | undefined {
  return caches.get(owner);
}
