import type { Db } from './db';
import type { BenchUser, Scale } from './generate';

/** One request of a scenario's rotation: who asks, with which variables. */
export interface Case {
  user: BenchUser;
  variables: Record<string, unknown>;
  /** For the PostGraphile document (its own paging and id arguments). */
  pgVariables?: Record<string, unknown>;
}

export interface Users { admins: BenchUser[]; managers: BenchUser[]; investors: BenchUser[]; vendors: BenchUser[] }

export interface ScenarioContext {
  db: Db;
  users: Users;
  scale: Scale;
  /** The server's calendar day (UTC). */
  today: string;
}

export interface Scenario {
  /** 1–5, the numbering of the issue; 6 and up, reference scenarios. */
  number: number;
  key: string;
  title: string;
  kind: 'read' | 'write';
  /** Not one of the scenarios (no target applies): a figure to read the others by. */
  reference?: boolean;
  /** The GraphQL document sent to Vantage (validated against schema/schema.graphql). */
  document: string;
  /** The rotation: viewers and variables, in a deterministic mixed order. */
  cases(ctx: ScenarioContext): Promise<Case[]>;
  /** Raw SQL, one statement building the whole response with json_agg: returns the response body. */
  rawJson?(db: Db, c: Case, ctx: { today: string }): Promise<string>;
  /** Raw SQL, one flat statement per level, assembled in JavaScript: returns the response object. */
  rawFlat?(db: Db, c: Case, ctx: { today: string }): Promise<unknown>;
  /** The PostGraphile peer (operator scenarios): its document and a shape both responses are reduced to. */
  postgraphile?: {
    document: string;
    canonicalOfPostgraphile(data: any): unknown;
    canonicalOfVantage(data: any): unknown;
  };
  /** Write scenarios: restores the rows the cases consume, so every run starts from the same state. */
  reset?(db: Db, cases: Case[]): Promise<void>;
  /** Write scenarios: what the write left in the database, compared between engines. */
  state?(db: Db, c: Case): Promise<unknown>;
}

/** A deterministic shuffle (so rotation mixes viewers without randomness between runs). */
export function shuffled<T>(items: T[], seed = 7): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Groups rows by a key, keeping their order. */
export function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(row);
  }
  return out;
}
