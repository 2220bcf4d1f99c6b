/**
 * Configuration: read from the environment once, validated at start-up, typed.
 * Every message says how to fix the problem, because the first reader of it is
 * a person starting the server.
 */
export type Environment = 'development' | 'test' | 'production';

export interface Config {
  env: Environment;
  port: number;
  /** null: start the embedded PostgreSQL under `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  seedDemo: boolean;
  jwt: { secret: Uint8Array; issuer: string; audience: string; ttlSeconds: number; clockToleranceSeconds: number };
  /** Apollo Sandbox landing page and introspection. */
  sandbox: boolean;
  introspection: boolean;
  logLevel: string;
}

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
    databaseUrl,
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
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
