/**
 * Fail-closed access for root fields. Every Query and Mutation field declares
 * its rule with @Access; `guardRootFields` wraps each root resolver of the
 * built schema with the check, and refuses any root field without a rule
 * (test/auth/access.spec.ts walks the built schema to prove none is missing).
 * A rule is either a sign-in level (`'public'`, `'authenticated'`,
 * `'operator'`, `'admin'`) or one of the policy's role predicates, e.g.
 * `@Access(can.operate, 'Only … can change contracts')`: a permission that
 * depends on the viewer alone, so it is refused (FORBIDDEN) before any id is
 * decoded or any row loaded, and the answer never depends on whether an id
 * exists. Row visibility is not decided here but in the policy layer.
 *
 * The check wraps the root resolvers only, once per root field of an
 * operation. A type-graphql global middleware would do the same check but
 * wraps every field of every object in an async chain, which made plain
 * fields (`id`, `title`, …) Promises and cost about half the server's CPU on
 * large responses (README, Performance).
 */
import { Extensions } from 'type-graphql';
import { defaultFieldResolver, type GraphQLField, type GraphQLSchema } from 'graphql';
import type { Context } from './context';
import type { Viewer } from './viewer';
import { ForbiddenError, UnauthenticatedError } from '../core/errors';
import { checkDeadline } from '../core/request-meta';
import { ApiTokenScope, scopeIncludes } from '../model/identity.entity';
import { can } from './policy';

/** Sign-in levels. A field with a role predicate has the level `authenticated` plus its predicate. */
export type AccessRule = 'public' | 'authenticated' | 'operator' | 'admin';

/** A permission that depends on the viewer alone: `can.operate`, `can.administer`, `can.actAsPartnerMember`. */
export type RolePredicate = (viewer: Viewer) => boolean;

/** What @Access stores in the field's extensions (type-graphql copies them onto the built schema). */
interface AccessExtensions {
  access?: AccessRule;
  /** The role predicate, when the rule is one. */
  accessMay?: RolePredicate;
  /** The FORBIDDEN message when the predicate refuses. */
  accessDenied?: string;
}

export function Access(rule: AccessRule): MethodDecorator & PropertyDecorator;
export function Access(may: RolePredicate, denied: string): MethodDecorator & PropertyDecorator;
export function Access(rule: AccessRule | RolePredicate, denied?: string): MethodDecorator & PropertyDecorator {
  const extensions: AccessExtensions = typeof rule === 'string'
    ? { access: rule }
    : { access: 'authenticated', accessMay: rule, accessDenied: denied };
  return Extensions(extensions as Record<string, unknown>);
}

function extensionsOf(field: GraphQLField<unknown, unknown>): AccessExtensions {
  return (field.extensions ?? {}) as AccessExtensions;
}

/** The field's sign-in level; undefined when it declares no rule (and is refused). */

/**
 * The API token scope a root field needs, when it is more than its root's
 * default (queries READ, mutations WRITE; `admin` fields ADMIN). The scope
 * narrows what the user may do; the access rule and the policy still apply.
 */
export function RequiresScope(scope: ApiTokenScope): MethodDecorator & PropertyDecorator {
  return Extensions({ tokenScope: scope });
}

export function requiredScopeOf(field: GraphQLField<unknown, unknown>, root: 'Query' | 'Mutation' | 'Subscription'): ApiTokenScope {
  const declared = (field.extensions as { tokenScope?: ApiTokenScope } | undefined)?.tokenScope;
  if (declared) return declared;
  // Administration, whichever way the field declares it: the 'admin' level or the can.administer predicate.
  const access = extensionsOf(field);
  if (access.access === 'admin' || access.accessMay === can.administer) return ApiTokenScope.ADMIN;
  return root === 'Mutation' ? ApiTokenScope.WRITE : ApiTokenScope.READ;
}

function checkScope(needed: ApiTokenScope, name: string, context: Context): void {
  const viewer = context.viewer;
  const held = viewer?.tokenScope ?? ApiTokenScope.ADMIN;
  if (scopeIncludes(held, needed)) return;
  throw new ForbiddenError(`This API token has the ${held} scope; ${name} needs ${needed}`);
}

export function accessRuleOf(field: GraphQLField<unknown, unknown>): AccessRule | undefined {
  return extensionsOf(field).access;
}

/** The field's role predicate, when its rule is one (e.g. `can.operate`). */
export function accessPredicateOf(field: GraphQLField<unknown, unknown>): RolePredicate | undefined {
  return extensionsOf(field).accessMay;
}

function checkAccess(access: AccessExtensions, name: string, context: Context): void {
  const rule = access.access;
  if (!rule) throw new ForbiddenError(`${name} declares no access rule`);
  if (rule === 'public') return;
  const viewer = context.viewer;
  if (!viewer) throw new UnauthenticatedError(context.authProblem ?? undefined);
  if (rule === 'operator' && viewer.side !== 'operator') throw new ForbiddenError();
  if (rule === 'admin' && !(viewer.side === 'operator' && viewer.role === 'ADMIN')) throw new ForbiddenError();
  if (access.accessMay && !access.accessMay(viewer)) throw new ForbiddenError(access.accessDenied);
}

/**
 * Wraps every root field's resolver with its access rule and the request's
 * deadline (a request past it starts no further root field). Applied once to
 * the built schema; fields without a rule are refused at every call.
 */
export function guardRootFields(schema: GraphQLSchema): GraphQLSchema {
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      const access = extensionsOf(field);
      const name = `${root.name}.${field.name}`;
      const scope = requiredScopeOf(field, root === schema.getMutationType() ? 'Mutation' : root === schema.getQueryType() ? 'Query' : 'Subscription');
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: Context, info) => {
        checkAccess(access, name, context);
        if (access.access !== 'public') checkScope(scope, name, context);
        checkDeadline();
        return resolve(source, args, context, info);
      };
      if (field.subscribe) {
        const subscribe = field.subscribe;
        field.subscribe = (source, args, context: Context, info) => {
          checkAccess(access, name, context);
          if (access.access !== 'public') checkScope(scope, name, context);
          return subscribe(source, args, context, info);
        };
      }
    }
  }
  return schema;
}
