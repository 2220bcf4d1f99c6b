import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { EntityClass } from '@mikro-orm/core';
import { Access } from '../../access/access';
import { authed, type Context } from '../../access/context';
import { BadUserInputError } from '../../core/errors';
import { parseGlobalId } from '../../core/global-id';
import { Node } from '../../model/node';
import { entities } from '../../model/entities';

/** Entities reachable through node(id:), by GraphQL type name. */
const NODE_TYPES = new Map<string, EntityClass<any>>(
  entities.filter((e) => e.prototype instanceof Node).map((e) => [e.name, e as EntityClass<any>]),
);

export const MAX_NODES = 100;

@Resolver()
export class NodeResolver {
  @Access('authenticated')
  @Query(() => Node, { nullable: true, description: 'Fetches any object by its global id; null when it does not exist or the viewer may not see it.' })
  node(@Arg('id', () => ID, { description: 'A global id.' }) id: string, @Ctx() ctx: Context): Promise<Node | null> {
    return loadNode(ctx, id, 'id');
  }

  @Access('authenticated')
  @Query(() => [Node], { nullable: 'items', description: `Fetches up to ${MAX_NODES} objects by global id, in order; null for each one that does not exist or is not visible.` })
  nodes(@Arg('ids', () => [ID], { description: 'Global ids.' }) ids: string[], @Ctx() ctx: Context): Promise<(Node | null)[]> {
    if (ids.length > MAX_NODES) throw new BadUserInputError(`ids: at most ${MAX_NODES} ids per request (got ${ids.length})`, 'ids');
    return Promise.all(ids.map((id, i) => loadNode(ctx, id, `ids[${i}]`)));
  }
}

function loadNode(ctx: Context, globalId: string, field: string): Promise<Node | null> {
  const { reader } = authed(ctx);
  const decoded = parseGlobalId(globalId);
  if (!decoded) throw new BadUserInputError(`${field}: "${String(globalId).slice(0, 60)}" is not a valid id`, field);
  const entity = NODE_TYPES.get(decoded.type);
  // An unknown type name inside a well-formed id is answered like a missing object.
  if (!entity) return Promise.resolve(null);
  return reader.byId(entity).load(decoded.id);
}
