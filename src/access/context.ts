/**
 * One request, one context: a forked EntityManager, the viewer, its scoped
 * reader with per-request loaders, and a request id.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config';
import { resolveViewer } from './auth';
import { UnauthenticatedError } from '../core/errors';
import { Reader } from './reader';
import type { Viewer } from './viewer';
import { viewerCacheOf } from './viewer-cache';

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
  const resolved = await resolveViewer(em, config, authorization, viewerCacheOf(orm));
  if (resolved.kind !== 'viewer') {
    return { em, config, requestId, viewer: null, reader: null, authProblem: resolved.kind === 'invalid' ? resolved.reason : null };
  }
  const viewer = resolved.viewer;
  return { em, config, requestId, viewer, reader: new Reader(em, viewer, config.preparedReads), authProblem: null };
}

/** The authenticated viewer and its scoped reader; UNAUTHENTICATED otherwise. */
export function authed(ctx: Context): { viewer: Viewer; reader: Reader } {
  if (!ctx.viewer || !ctx.reader) throw new UnauthenticatedError(ctx.authProblem ?? undefined);
  return { viewer: ctx.viewer, reader: ctx.reader };
}
