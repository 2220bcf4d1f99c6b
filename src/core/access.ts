/**
 * Fail-closed access for root fields. Every Query and Mutation field declares
 * its rule with @Access; the middleware refuses any root field without one,
 * and test/auth/access.spec.ts walks the built schema to prove none is missing.
 * Row visibility is not decided here but in the policy layer.
 */
import { Extensions, type MiddlewareFn } from 'type-graphql';
import type { GraphQLField } from 'graphql';
import type { Context } from './context';
import { ForbiddenError, UnauthenticatedError } from './errors';

export type AccessRule = 'public' | 'authenticated' | 'operator' | 'admin';

export function Access(rule: AccessRule): MethodDecorator & PropertyDecorator {
  return Extensions({ access: rule });
}

export function accessRuleOf(field: GraphQLField<unknown, unknown>): AccessRule | undefined {
  return (field.extensions as { access?: AccessRule } | undefined)?.access;
}

export const RootAccess: MiddlewareFn<Context> = async ({ info, context }, next) => {
  const root = info.parentType.name;
  if (root === 'Query' || root === 'Mutation' || root === 'Subscription') {
    const rule = accessRuleOf(info.parentType.getFields()[info.fieldName]);
    if (!rule) throw new ForbiddenError(`${root}.${info.fieldName} declares no access rule`);
    if (rule !== 'public') {
      const viewer = context.viewer;
      if (!viewer) throw new UnauthenticatedError(context.authProblem ?? undefined);
      if (rule === 'operator' && viewer.side !== 'operator') throw new ForbiddenError();
      if (rule === 'admin' && !(viewer.side === 'operator' && viewer.role === 'ADMIN')) throw new ForbiddenError();
    }
  }
  return next();
};
