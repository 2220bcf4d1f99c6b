/**
 * SQL building blocks of the dashboards.
 *
 * Every figure is one PostgreSQL aggregate. The rows an aggregate may read
 * are never chosen here: each source is `<table>.id IN (<ids the viewer may
 * see>)`, where the inner query is a MikroORM QueryBuilder whose WHERE is
 * `scopeOf(Entity, viewer)` from the policy module ANDed with the
 * dashboard's own condition. QueryBuilders apply no ORM filter
 * (docs/pitfalls.md), so this is the only place the rules of docs/visibility.md enter the
 * aggregate — and they always do.
 *
 * Statements are composed with the `sql` tag below: interpolated `Sql`
 * fragments are spliced in, every other value becomes a bound parameter.
 */
import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { scopeOf } from '../../access/policy';
import { bindSlots, compileShape, runBound, shapeOf, type CompiledShape } from '../../access/prepared-reads';
import type { Viewer } from '../../access/viewer';

export class Sql {
  constructor(readonly text: string, readonly values: readonly unknown[]) {}
}

/** Tagged template: `Sql` values are inlined as fragments, anything else is a bound `?` parameter. */
export function sql(strings: TemplateStringsArray, ...args: unknown[]): Sql {
  let text = strings[0];
  const values: unknown[] = [];
  args.forEach((arg, i) => {
    if (arg instanceof Sql) {
      text += arg.text;
      values.push(...arg.values);
    } else {
      text += '?';
      values.push(arg);
    }
    text += strings[i + 1];
  });
  return new Sql(text, values);
}

/** A trusted constant fragment (never user input). */
sql.raw = (text: string): Sql => new Sql(text, []);
sql.join = (parts: Sql[], separator: string): Sql =>
  parts.reduce<Sql | null>((acc, part) => (acc ? sql`${acc}${sql.raw(separator)}${part}` : part), null) ?? sql.raw('');

/**
 * `select <alias>.id from <entity> where scope(viewer) and where`: the ids of
 * the rows the viewer may see among those matching `where`.
 */
export function visibleIds<T extends object>(em: EntityManager, entity: EntityClass<T>, viewer: Viewer, where: FilterQuery<T>): Sql {
  return idsWhere(em, entity, { $and: [scopeOf(entity, viewer), where] } as FilterQuery<T>);
}

/**
 * Statements of `idsWhere` by entity and filter shape (src/access/prepared-reads.ts):
 * the QueryBuilder writes each shape once, later requests only put their
 * values in. Shapes come from the code, so there are a few dozen.
 */
const idStatements = new Map<string, CompiledShape | null>();
const MAX_ID_STATEMENTS = 1_000;

/**
 * `select v.id from <entity> v where <filter>`, the filter holding the
 * policy's condition (`scopeOf`, from the caller). Built once per shape of
 * the filter, a list as one array parameter; a filter with no cacheable
 * shape is built by the QueryBuilder for this call.
 */
export function idsWhere<T extends object>(em: EntityManager, entity: EntityClass<T>, filter: FilterQuery<T>): Sql {
  const shape = shapeOf(filter);
  if (shape) {
    const key = `${entity.name}\u0000${shape.key}`;
    let compiled = idStatements.get(key);
    if (compiled === undefined) {
      const query = em.createQueryBuilder(entity, 'v').select('v.id').where(shape.marked).getKnexQuery().toSQL();
      compiled = compileShape(query.sql, query.bindings, shape.values);
      if (idStatements.size >= MAX_ID_STATEMENTS) idStatements.clear();
      idStatements.set(key, compiled);
    }
    if (compiled) return new Sql(compiled.text, bindSlots(compiled.slots, shape.values));
  }
  const query = em.createQueryBuilder(entity, 'v').select('v.id').where(filter).getKnexQuery().toSQL();
  return new Sql(query.sql, query.bindings);
}

/**
 * On a 'read' connection (a replica for a query operation, src/db/replicas.ts),
 * with its values bound, not written into the text: the text stays a few
 * kilobytes whatever the number of projects, and PostgreSQL plans it with
 * the values of this call.
 */
export async function run<R>(em: EntityManager, statement: Sql): Promise<R[]> {
  return (await runBound(em.getConnection('read'), statement.text, [...statement.values])) as R[];
}

/** Money as PostgreSQL returns it: rounded to cents, as text ("0.00" rather than "0"). */
export const money = (expr: string): Sql => sql.raw(`round(${expr}, 2)::text`);
/** Ratios: 4 decimal places, rounded half away from zero by PostgreSQL. */
export const ratio = (numerator: string, denominator: string): Sql => sql.raw(`round((${numerator})::numeric / nullif(${denominator}, 0), 4)::text`);
