/**
 * One request, one context: a forked EntityManager, the viewer, its scoped
 * reader with per-request loaders, and a request id.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config';
import { authenticate } from './auth';
import { UnauthenticatedError } from '../core/errors';
import { Reader } from './reader';
import { buildViewer, type Viewer } from './viewer';

export interface Context {
  em: ReturnType<MikroORM['em']['fork']>;
  config: Config;
  requestId: string;
  viewer: Viewer | null;
  reader: Reader | null;
  /** Why a presented token was refused, for the UNAUTHENTICATED message. */
  authProblem: string | null;
}

export async function buildContext(orm: MikroORM, config: Config, authorization: string | undefined, requestId = randomUUID()): Promise<Context> {
  const em = orm.em.fork();
  const auth = await authenticate(em, config, authorization);
  if (auth.kind !== 'user') {
    return { em, config, requestId, viewer: null, reader: null, authProblem: auth.kind === 'invalid' ? auth.reason : null };
  }
  const viewer = await buildViewer(em, auth.user, auth.apiTokenId, auth.scope);
  return { em, config, requestId, viewer, reader: new Reader(em, viewer), authProblem: null };
}

/** The authenticated viewer and its scoped reader; UNAUTHENTICATED otherwise. */
export function authed(ctx: Context): { viewer: Viewer; reader: Reader } {
  if (!ctx.viewer || !ctx.reader) throw new UnauthenticatedError(ctx.authProblem ?? undefined);
  return { viewer: ctx.viewer, reader: ctx.reader };
}
