/**
 * The file routes: POST /files (upload.ts) and GET /files/:id (download.ts),
 * with the storage chosen by the configuration: S3 when S3_URL is set,
 * PostgreSQL otherwise.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../config';
import type { Logger } from '../core/logger';
import { downloadHandler } from './download';
import { PostgresFileStore } from './postgres-store';
import { S3FileStore } from './s3-store';
import type { FileStore } from './store';
import { uploadHandler } from './upload';

export function createFileStore(orm: MikroORM, config: Config): FileStore {
  return config.files.s3 ? new S3FileStore(config.files.s3) : new PostgresFileStore(orm.em.getKnex());
}

export function fileRoutes(orm: MikroORM, config: Config, logger: Logger, store = createFileStore(orm, config)): Router {
  const router = Router();
  const wrap = (handler: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch(next);
  };
  router.post('/', wrap(uploadHandler(orm, config, store, logger)));
  router.get('/:id', wrap(downloadHandler(orm, config, store, logger)));
  return router;
}
