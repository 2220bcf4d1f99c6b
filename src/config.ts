import { hkdfSync } from 'node:crypto';
/**
 * Configuration: read from the environment once, validated at start-up, typed.
 * Every message says how to fix the problem, because the first reader of it is
 * a person starting the server.
 */
export type Environment = 'development' | 'test' | 'production';

export interface Config {
  env: Environment;
  port: number;
  /** Interface to listen on; undefined: every interface. */
  host: string | undefined;
  /** null: start the embedded PostgreSQL under `dataDir`. */
  databaseUrl: string | null;
  /** Read replicas of DATABASE_URL for query operations (src/db/replicas.ts); empty: every read on the primary. */
  replicas: { urls: string[]; stickyMs: number; checkMs: number };
  /** Connections this instance may open to the primary, and to each replica. */
  poolMax: number;
  dataDir: string;
  seedDemo: boolean;
  jwt: { secret: Uint8Array; issuer: string; audience: string; ttlSeconds: number; clockToleranceSeconds: number };
  /** The local GraphQL explorer (GraphiQL at GET /graphql from a browser), and introspection. */
  sandbox: boolean;
  introspection: boolean;
  /** Browser sessions may send only the portal's own operations (web/dist/persisted-documents.json); API tokens any. */
  trustedDocuments: boolean;
  logLevel: string;
  /** The compiled executor (src/http/executor.ts); off: graphql-js executes every operation. */
  jit: { enabled: boolean; cacheSize: number; compileAt: number };
  /** The reader's statements named and prepared once per shape, values bound (src/access/prepared-reads.ts); off: built by the QueryBuilder per call. */
  preparedReads: boolean;
  http: HttpConfig;
  limits: LimitsConfig;
  metrics: MetricsConfig;
  viewerCache: ViewerCacheConfig;
  subscriptions: SubscriptionsConfig;
  /** Exports (docs/exports.md): lists of up to this many rows are written during the request; larger ones in the background. */
  exports: { inlineMaxRows: number };
  jobs: JobsConfig;
  webhooks: WebhooksConfig;
  email: EmailConfig;
  files: FilesConfig;
}

/** Webhook delivery (docs/webhooks.md). */
export interface WebhooksConfig {
  /** Endpoints may resolve to private, loopback or link-local addresses: development and tests only (a local receiver); refused in production. */
  allowPrivate: boolean;
  /** How long one attempt may take, connection to last byte. */
  timeoutMs: number;
  /** Attempts per delivery (graphile-worker's retries with its exponential backoff) before it is FAILED. */
  maxAttempts: number;
  /** Consecutive failed attempts (across deliveries) after which an endpoint is disabled and its administrators told. */
  disableAfter: number;
}

/** E-mail notifications (README "E-mail"). */
export interface EmailConfig {
  /** smtp(s)://user:password@host:port; null: no SMTP (development: mails go to the log; production: none are sent). */
  smtpUrl: string | null;
  from: string;
  /** The portal's address, for links in e-mails. */
  portalUrl: string;
}

/** The job queue (graphile-worker, src/jobs/): delivery of domain events and periodic tasks. */
export interface JobsConfig {
  /** Whether this process runs the queue's runner (JOBS=off: an API-only instance; `npm run worker` runs one alone). */
  enabled: boolean;
  /** Jobs run at once by this process. */
  concurrency: number;
  /** How often the runner looks for jobs due later (retries, scheduled); new jobs are picked up at once by LISTEN. */
  pollIntervalMs: number;
  /** Crontab schedule of the search for milestones past their due date (graphile-worker cron syntax). */
  slipSchedule: string;
  /**
   * Whether the runner starts the periodic jobs (milestones past due, e-mail digests). Off by default under
   * NODE_ENV=test, so a test database changes only by what the test itself does; tests add those jobs by hand.
   */
  schedules: boolean;
  /** A job locked longer than this is taken to belong to a dead runner and freed to run again (src/jobs/recovery.ts). */
  staleLockSeconds: number;
}

/** GraphQL subscriptions over WebSocket (src/http/subscriptions.ts, src/access/live.ts). */
export interface SubscriptionsConfig {
  enabled: boolean;
  /** Messages one subscription may have waiting; a subscriber further behind is disconnected. */
  queueSize: number;
  /** Active subscriptions per WebSocket connection. */
  perConnection: number;
  /** Active subscriptions per user on one instance. */
  perViewer: number;
}

export interface FilesConfig {
  /** Largest accepted upload (POST /files), in bytes; larger ones get 413 and nothing is stored. */
  maxUploadBytes: number;
  /** Secret of the HMAC that signs download URLs (File.url). */
  urlSecret: Uint8Array;
  /** How long a signed download URL stays valid. */
  urlTtlSeconds: number;
  /** How long an uploaded file waits to be attached by a mutation before it is discarded. */
  pendingTtlSeconds: number;
  /** S3-compatible storage (S3_URL); null: the file bytes are kept in PostgreSQL. */
  s3: { endpoint: string | null; region: string; bucket: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean } | null;
}

export interface ViewerCacheConfig {
  /** Viewers kept per instance (credentials, LRU); 0: every request reads its viewer from the database. */
  size: number;
  /** Where the instance LISTENs for invalidations; null: the database of DATABASE_URL (or the embedded one). */
  listenUrl: string | null;
  /** A heartbeat NOTIFY must come back within this; otherwise the cache stops serving until it reconnects. */
  heartbeatMs: number;
}

export interface MetricsConfig {
  /** GET /metrics: off in production without a token (404), open outside production without one. */
  enabled: boolean;
  /** Bearer token a scraper must present; null: none required. */
  token: string | null;
  /** Distinct operation names kept as label values; later ones are counted as "other". */
  maxOperationNames: number;
}

export interface HttpConfig {
  /** Origins allowed to call the API from a browser; 'any' reflects every origin (never in production). */
  corsOrigins: string[] | 'any';
  /** Largest accepted JSON body; larger ones get 413. */
  bodyLimitBytes: number;
  /** Longest a request may take, from its first byte to its response. */
  requestTimeoutMs: number;
  /** Proxy hops in front of the server whose X-Forwarded-For is trusted (for the client address of rate limits). */
  trustProxyHops: number;
  /** On SIGTERM: how long /readyz fails before the server stops accepting requests. */
  readinessDrainMs: number;
  /** On SIGTERM: how long in-flight requests may take before their connections are closed. */
  shutdownGraceMs: number;
}

export interface LimitsConfig {
  /** Whether rejection messages say which limit was hit and its value (off in production). */
  exposeLimits: boolean;
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** Largest cost of one operation (connections count first/last times their selection). */
  maxQueryCost: number;
  /** Cost points each viewer (or anonymous client address) may spend per minute, across all instances. */
  costBudgetPerMinute: number;
  /**
   * 0: each request's cost is written to PostgreSQL before it runs (exact across instances). Otherwise each
   * instance counts in memory and writes its counts every this many ms (limits.store.ts states the tolerance).
   */
  costFlushMs: number;
  /**
   * Failed sign-ins per (account, client address) pair per `loginWindowSeconds` before that pair waits
   * `loginDelaySeconds`, doubling with each further failure (at most the window); a success clears the pair.
   */
  loginAttemptsPerAccount: number;
  loginDelaySeconds: number;
  /** Sign-in attempts per client address per window, whatever the accounts. */
  loginAttemptsPerIp: number;
  loginWindowSeconds: number;
}

/** Marked as such everywhere it appears; refused when NODE_ENV=production. */
export const DEVELOPMENT_FILE_URL_SECRET = 'vantage-development-only-file-url-secret-do-not-use-in-production';

/** Marked as such everywhere it appears; refused when NODE_ENV=production. */
export const DEVELOPMENT_JWT_SECRET = 'vantage-development-only-secret-do-not-use-in-production';

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function flag(value: string | undefined, name: string, fallback: boolean, problems: string[]): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  problems.push(`${name} must be 1/true/yes/on or 0/false/no/off (got "${value}")`);
  return fallback;
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be an integer between ${min} and ${max} (got "${value}")`);
    return fallback;
  }
  return n;
}

function corsOrigins(value: string | undefined, production: boolean, problems: string[]): string[] | 'any' {
  if (value === undefined || value.trim() === '') return production ? [] : 'any';
  const items = value.split(',').map((o) => o.trim()).filter(Boolean);
  if (items.includes('*')) {
    if (production) {
      problems.push('CORS_ORIGINS must not be "*" in production: list the origins of your frontends, e.g. https://app.example.com');
      return [];
    }
    return 'any';
  }
  const origins: string[] = [];
  for (const item of items) {
    try {
      const url = new URL(item);
      if (!/^https?:$/.test(url.protocol) || url.origin !== item.replace(/\/$/, '')) throw new Error('not an origin');
      origins.push(url.origin);
    } catch {
      problems.push(`CORS_ORIGINS: "${item}" is not an origin; use scheme://host[:port], e.g. https://app.example.com`);
    }
  }
  return origins;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const nodeEnv = (env.NODE_ENV || 'development') as Environment;
  if (!['development', 'test', 'production'].includes(nodeEnv)) {
    problems.push(`NODE_ENV must be development, test or production (got "${env.NODE_ENV}")`);
  }
  const production = nodeEnv === 'production';

  let port = 4000;
  if (env.PORT !== undefined && env.PORT !== '') {
    port = Number(env.PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      problems.push(`PORT must be an integer between 0 and 65535 (got "${env.PORT}")`);
    }
  }

  const host = env.HOST || undefined;
  if (host !== undefined && !/^[A-Za-z0-9.:%-]+$/.test(host)) {
    problems.push(`HOST must be an address or host name to listen on, e.g. 127.0.0.1 or :: (got "${host}")`);
  }

  let databaseUrl: string | null = env.DATABASE_URL || null;
  if (databaseUrl) {
    try {
      const url = new URL(databaseUrl);
      if (!/^postgres(ql)?:$/.test(url.protocol)) throw new Error('protocol');
    } catch {
      problems.push('DATABASE_URL must look like postgres://user:password@host:5432/database');
      databaseUrl = null;
    }
  } else if (production) {
    problems.push('DATABASE_URL is required in production (the embedded PostgreSQL is for development and tests)');
  }

  const replicaUrls = (env.DATABASE_REPLICA_URLS ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  for (const item of replicaUrls) {
    try {
      const url = new URL(item);
      if (!/^postgres(ql)?:$/.test(url.protocol)) throw new Error('protocol');
    } catch {
      problems.push('DATABASE_REPLICA_URLS must be comma-separated URLs like postgres://user:password@replica-1:5432/database');
      break;
    }
  }
  if (replicaUrls.length && !databaseUrl) {
    problems.push('DATABASE_REPLICA_URLS needs DATABASE_URL (the primary they replicate); the embedded PostgreSQL has no replicas');
  }

  const secretText = env.JWT_SECRET || (production ? '' : DEVELOPMENT_JWT_SECRET);
  if (production) {
    if (!env.JWT_SECRET) {
      problems.push('JWT_SECRET is required in production — generate one with `openssl rand -hex 32`');
    } else if (env.JWT_SECRET === DEVELOPMENT_JWT_SECRET || env.JWT_SECRET.length < 32 || new Set(env.JWT_SECRET).size < 10) {
      problems.push('JWT_SECRET is too weak for production: use at least 32 random characters, e.g. `openssl rand -hex 32`');
    }
  } else if (env.JWT_SECRET && env.JWT_SECRET.length < 32) {
    problems.push('JWT_SECRET must be at least 32 characters — generate one with `openssl rand -hex 32`');
  }

  const ttl = env.JWT_TTL_SECONDS ? Number(env.JWT_TTL_SECONDS) : 3600;
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > 7 * 24 * 3600) {
    problems.push(`JWT_TTL_SECONDS must be an integer between 60 and 604800 (got "${env.JWT_TTL_SECONDS}")`);
  }

  const config: Config = {
    env: nodeEnv,
    port,
    host,
    databaseUrl,
    replicas: {
      urls: databaseUrl ? replicaUrls : [],
      stickyMs: integer(env, 'REPLICA_STICKY_MS', 10_000, 0, 600_000, problems),
      checkMs: integer(env, 'REPLICA_CHECK_MS', 1_000, 100, 60_000, problems),
    },
    poolMax: integer(env, 'DATABASE_POOL_MAX', 10, 1, 1_000, problems),
    dataDir: env.VANTAGE_DATA_DIR || '.data',
    seedDemo: flag(env.SEED_DEMO, 'SEED_DEMO', !databaseUrl, problems),
    jwt: {
      secret: new TextEncoder().encode(secretText),
      issuer: env.JWT_ISSUER || 'vantage',
      audience: env.JWT_AUDIENCE || 'vantage-api',
      ttlSeconds: ttl,
      clockToleranceSeconds: 5,
    },
    sandbox: flag(env.SANDBOX, 'SANDBOX', !production, problems),
    introspection: flag(env.INTROSPECTION, 'INTROSPECTION', !production, problems),
    trustedDocuments: flag(env.TRUSTED_DOCUMENTS, 'TRUSTED_DOCUMENTS', production, problems),
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    jit: {
      enabled: flag(env.GRAPHQL_JIT, 'GRAPHQL_JIT', true, problems),
      cacheSize: integer(env, 'GRAPHQL_JIT_CACHE_SIZE', 1_000, 1, 100_000, problems),
      // Under NODE_ENV=test every document is compiled at once, so the suites run the compiled path.
      compileAt: integer(env, 'GRAPHQL_JIT_COMPILE_AT', nodeEnv === 'test' ? 1 : 2, 1, 1_000, problems),
    },
    preparedReads: flag(env.PREPARED_READS, 'PREPARED_READS', true, problems),
    http: {
      corsOrigins: corsOrigins(env.CORS_ORIGINS, production, problems),
      bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 100 * 1024, 1024, 50 * 1024 * 1024, problems),
      requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 600_000, problems),
      trustProxyHops: integer(env, 'TRUST_PROXY_HOPS', 0, 0, 10, problems),
      readinessDrainMs: integer(env, 'READINESS_DRAIN_MS', production ? 5_000 : 0, 0, 120_000, problems),
      shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000, problems),
    },
    limits: limitsConfig(env, nodeEnv, problems),
    metrics: metricsConfig(env, production, problems),
    viewerCache: viewerCacheConfig(env, nodeEnv, databaseUrl, problems),
    subscriptions: {
      enabled: flag(env.SUBSCRIPTIONS, 'SUBSCRIPTIONS', true, problems),
      queueSize: integer(env, 'SUBSCRIPTION_QUEUE_SIZE', 100, 1, 100_000, problems),
      perConnection: integer(env, 'SUBSCRIPTIONS_PER_CONNECTION', 50, 1, 10_000, problems),
      perViewer: integer(env, 'SUBSCRIPTIONS_PER_VIEWER', 200, 1, 1_000_000, problems),
    },
    exports: { inlineMaxRows: integer(env, 'EXPORT_INLINE_MAX_ROWS', 2_000, 0, 1_000_000, problems) },
    jobs: jobsConfig(env, nodeEnv, problems),
    webhooks: webhooksConfig(env, production, problems),
    email: emailConfig(env, problems),
    files: filesConfig(env, production, problems),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/**
 * Query-shape limits apply everywhere. The per-minute budgets default to
 * effectively unlimited under NODE_ENV=test only, so functional suites that
 * sign in and query many times are not throttled; the hardening tests set
 * them explicitly.
 */
function limitsConfig(env: NodeJS.ProcessEnv, nodeEnv: Environment, problems: string[]): LimitsConfig {
  const test = nodeEnv === 'test';
  return {
    exposeLimits: flag(env.EXPOSE_LIMITS, 'EXPOSE_LIMITS', nodeEnv !== 'production', problems),
    maxDepth: integer(env, 'MAX_QUERY_DEPTH', 12, 2, 100, problems),
    maxAliases: integer(env, 'MAX_QUERY_ALIASES', 30, 1, 1000, problems),
    maxDirectives: integer(env, 'MAX_QUERY_DIRECTIVES', 20, 1, 1000, problems),
    maxTokens: integer(env, 'MAX_QUERY_TOKENS', 3000, 100, 100_000, problems),
    maxQueryCost: integer(env, 'MAX_QUERY_COST', 10_000, 10, 10_000_000, problems),
    costBudgetPerMinute: integer(env, 'COST_BUDGET_PER_MINUTE', test ? 100_000_000 : 100_000, 10, 1_000_000_000, problems),
    costFlushMs: integer(env, 'COST_BUDGET_FLUSH_MS', test ? 0 : 1_000, 0, 60_000, problems),
    loginAttemptsPerAccount: integer(env, 'LOGIN_ATTEMPTS_PER_ACCOUNT', test ? 100_000 : 10, 1, 1_000_000, problems),
    loginDelaySeconds: integer(env, 'LOGIN_DELAY_SECONDS', 30, 1, 86_400, problems),
    loginAttemptsPerIp: integer(env, 'LOGIN_ATTEMPTS_PER_IP', test ? 100_000 : 100, 1, 1_000_000, problems),
    loginWindowSeconds: integer(env, 'LOGIN_WINDOW_SECONDS', 900, 1, 86_400, problems),
  };
}

/**
 * The metrics endpoint tells anyone who can read it the operation names,
 * traffic and error rates: in production it is served only with a token
 * (without one it answers 404, so a deployment that does not scrape needs no
 * setting), and the token is checked like a password.
 */
function metricsConfig(env: NodeJS.ProcessEnv, production: boolean, problems: string[]): MetricsConfig {
  const token = env.METRICS_TOKEN || null;
  if (token !== null) {
    if (token.length < 32 || /\s/.test(token) || new Set(token).size < 10) {
      problems.push('METRICS_TOKEN must be at least 32 random characters without spaces — generate one with `openssl rand -hex 32`');
    } else if (token === env.JWT_SECRET) {
      problems.push('METRICS_TOKEN must differ from JWT_SECRET: whoever scrapes metrics must not be able to sign access tokens');
    }
  }
  return {
    enabled: token !== null || !production,
    token,
    maxOperationNames: integer(env, 'METRICS_MAX_OPERATION_NAMES', 200, 1, 10_000, problems),
  };
}

/**
 * The viewer cache (src/access/viewer-cache.ts). Off by default under
 * NODE_ENV=test only: suites there change the database behind the server's
 * back and read the result in the same instant; the cache's own tests turn
 * it on. LISTEN needs a session: behind PgBouncer in transaction mode, point
 * DATABASE_LISTEN_URL at PostgreSQL itself (or a session-mode pool).
 */
function viewerCacheConfig(env: NodeJS.ProcessEnv, nodeEnv: Environment, databaseUrl: string | null, problems: string[]): ViewerCacheConfig {
  let listenUrl: string | null = env.DATABASE_LISTEN_URL || null;
  if (listenUrl) {
    try {
      const url = new URL(listenUrl);
      if (!/^postgres(ql)?:$/.test(url.protocol)) throw new Error('protocol');
    } catch {
      problems.push('DATABASE_LISTEN_URL must look like postgres://user:password@host:5432/database (the primary, not through a transaction-mode pool)');
      listenUrl = null;
    }
    if (listenUrl && !databaseUrl) {
      problems.push('DATABASE_LISTEN_URL needs DATABASE_URL (it is another way to reach that database); the embedded PostgreSQL is reached directly');
      listenUrl = null;
    }
  }
  return {
    size: integer(env, 'VIEWER_CACHE_SIZE', nodeEnv === 'test' ? 0 : 10_000, 0, 1_000_000, problems),
    listenUrl,
    heartbeatMs: integer(env, 'VIEWER_CACHE_HEARTBEAT_MS', 5_000, 100, 60_000, problems),
  };
}

function jobsConfig(env: NodeJS.ProcessEnv, nodeEnv: Environment, problems: string[]): JobsConfig {
  const slipSchedule = env.JOBS_SLIP_SCHEDULE || '*/15 * * * *';
  if (!/^\S+ \S+ \S+ \S+ \S+$/.test(slipSchedule)) {
    problems.push(`JOBS_SLIP_SCHEDULE must be a crontab schedule of 5 fields, e.g. "*/15 * * * *" (got "${slipSchedule}")`);
  }
  return {
    enabled: flag(env.JOBS, 'JOBS', true, problems),
    concurrency: integer(env, 'JOBS_CONCURRENCY', 4, 1, 100, problems),
    pollIntervalMs: integer(env, 'JOBS_POLL_INTERVAL_MS', 2_000, 100, 600_000, problems),
    slipSchedule,
    schedules: flag(env.JOBS_SCHEDULES, 'JOBS_SCHEDULES', nodeEnv !== 'test', problems),
    staleLockSeconds: integer(env, 'JOBS_STALE_LOCK_SECONDS', 300, 1, 86_400, problems),
  };
}

/**
 * Webhooks: an endpoint on a private address would let an organization make
 * the server call into its own network (SSRF), so such addresses are refused
 * unless WEBHOOK_ALLOW_PRIVATE is on, which it is by default only outside
 * production (tests run local receivers) and which production refuses.
 */
function webhooksConfig(env: NodeJS.ProcessEnv, production: boolean, problems: string[]): WebhooksConfig {
  const allowPrivate = flag(env.WEBHOOK_ALLOW_PRIVATE, 'WEBHOOK_ALLOW_PRIVATE', !production, problems);
  if (production && allowPrivate) {
    problems.push('WEBHOOK_ALLOW_PRIVATE must be off in production: webhook endpoints on private, loopback or link-local addresses would reach into your network');
  }
  return {
    allowPrivate: allowPrivate && !production,
    timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000, problems),
    maxAttempts: integer(env, 'WEBHOOK_MAX_ATTEMPTS', 12, 1, 25, problems),
    disableAfter: integer(env, 'WEBHOOK_DISABLE_AFTER', 50, 1, 10_000, problems),
  };
}

function emailConfig(env: NodeJS.ProcessEnv, problems: string[]): EmailConfig {
  const smtpUrl = env.SMTP_URL || null;
  if (smtpUrl) {
    try {
      const url = new URL(smtpUrl);
      if (!/^smtps?:$/.test(url.protocol)) throw new Error('protocol');
    } catch {
      problems.push('SMTP_URL must look like smtp://user:password@mail.example.com:587 (or smtps:// for TLS from the start)');
    }
  }
  const from = env.EMAIL_FROM || 'Vantage <no-reply@vantage.invalid>';
  if (!/@/.test(from)) problems.push(`EMAIL_FROM must be an address, e.g. "Vantage <no-reply@example.com>" (got "${from}")`);
  return { smtpUrl, from, portalUrl: (env.PORTAL_URL || 'http://localhost:4000').replace(/\/$/, '') };
}

/**
 * Files (docs/files.md). The download-URL secret has a development default,
 * refused in production like JWT_SECRET's, and must differ from JWT_SECRET.
 * S3_URL selects S3-compatible storage:
 * `s3://ACCESS_KEY:SECRET_KEY@bucket?region=eu-west-1[&endpoint=https://minio.local:9000]`
 * (with an endpoint, path-style addressing); without it the bytes are kept in PostgreSQL.
 */
function filesConfig(env: NodeJS.ProcessEnv, production: boolean, problems: string[]): FilesConfig {
  // Without FILE_URL_SECRET, production derives the download-URL key from JWT_SECRET (HKDF-SHA256 with its own
  // label): one secret to manage, and a URL key that cannot be turned back into the token-signing secret.
  if (production && env.FILE_URL_SECRET && (env.FILE_URL_SECRET === DEVELOPMENT_FILE_URL_SECRET || env.FILE_URL_SECRET.length < 32 || new Set(env.FILE_URL_SECRET).size < 10)) {
    problems.push('FILE_URL_SECRET is too weak for production: use at least 32 random characters, e.g. `openssl rand -hex 32`');
  } else if (!production && env.FILE_URL_SECRET && env.FILE_URL_SECRET.length < 32) {
    problems.push('FILE_URL_SECRET must be at least 32 characters — generate one with `openssl rand -hex 32`');
  }
  if (env.FILE_URL_SECRET && env.FILE_URL_SECRET === env.JWT_SECRET) {
    problems.push('FILE_URL_SECRET must differ from JWT_SECRET: a download URL must not be able to sign access tokens');
  }
  const urlSecret = env.FILE_URL_SECRET
    ? new TextEncoder().encode(env.FILE_URL_SECRET)
    : production
      ? new Uint8Array(hkdfSync('sha256', env.JWT_SECRET ?? '', 'vantage', 'file download urls', 32))
      : new TextEncoder().encode(DEVELOPMENT_FILE_URL_SECRET);
  let s3: FilesConfig['s3'] = null;
  if (env.S3_URL) {
    try {
      const url = new URL(env.S3_URL);
      if (url.protocol !== 's3:' || !url.hostname || !url.username || !url.password) throw new Error('shape');
      const endpoint = url.searchParams.get('endpoint');
      if (endpoint !== null && !/^https?:\/\//.test(endpoint)) throw new Error('endpoint');
      s3 = {
        endpoint,
        region: url.searchParams.get('region') ?? 'us-east-1',
        bucket: url.hostname,
        accessKeyId: decodeURIComponent(url.username),
        secretAccessKey: decodeURIComponent(url.password),
        forcePathStyle: endpoint !== null,
      };
    } catch {
      problems.push('S3_URL must look like s3://ACCESS_KEY:SECRET_KEY@bucket?region=eu-west-1 (add &endpoint=http://host:9000 for an S3-compatible server)');
    }
  }
  return {
    maxUploadBytes: integer(env, 'MAX_UPLOAD_BYTES', 100 * 1024 * 1024, 1, 2_000_000_000, problems),
    urlSecret,
    urlTtlSeconds: integer(env, 'FILE_URL_TTL_SECONDS', 300, 5, 86_400, problems),
    pendingTtlSeconds: integer(env, 'FILE_PENDING_TTL_SECONDS', 24 * 3600, 60, 30 * 86_400, problems),
    s3,
  };
}
