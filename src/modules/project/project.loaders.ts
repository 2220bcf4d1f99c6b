/**
 * Per-request loaders of the project module, kept on the request's reader
 * so they are never shared across viewers.
 */
import { raw } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { authed, type Context } from '../../access/context';
import { MAX_BATCH } from '../../access/reader';
import { scopeOf } from '../../access/policy';
import { User } from '../../model/identity.entity';
import { Investment } from '../../model/investment.entity';
import { Project, ProjectManager } from '../../model/project.entity';

export interface ProjectLoaders {
  managers: DataLoader<string, User[]>;
  totalCommitted: DataLoader<string, string>;
}

const cache = new WeakMap<object, ProjectLoaders>();

export function projectLoaders(ctx: Context): ProjectLoaders {
  const { reader, viewer } = authed(ctx);
  let loaders = cache.get(reader);
  if (!loaders) {
    const em = reader.em;
    loaders = {
      managers: new DataLoader(async (projectIds) => {
        const links = await em.find(ProjectManager, { project: { $in: [...projectIds] } }, { fields: ['project', 'user'] });
        const users = await reader.byId(User).loadMany(links.map((l) => l.user.id));
        const byProject = new Map<string, User[]>(projectIds.map((id) => [id, []]));
        links.forEach((link, i) => {
          const user = users[i];
          if (user && !(user instanceof Error)) byProject.get(link.project.id)!.push(user);
        });
        return projectIds.map((id) => byProject.get(id)!);
      }, { maxBatchSize: MAX_BATCH }),
      /**
       * The project's total is part of the financial figures investors may read
       * (docs/visibility.md: "own org's investments, plus project total committed"), so it
       * sums every investment of a visible project, computed by PostgreSQL.
       */
      totalCommitted: new DataLoader(async (projectIds) => {
        // An aggregate in SQL: the policy condition is ANDed by hand (no ORM filter applies to a QueryBuilder).
        // Raw rows (not mapped to entities): name the columns explicitly.
        const rows: { project_id: string; total: string }[] = await em
          .createQueryBuilder(Investment, 'i')
          .select([raw('i.project_id as project_id'), raw('sum(i.committed_amount)::text as total')])
          .where({ $and: [{ project: { $in: [...projectIds] } }, { project: scopeOf(Project, viewer) }] })
          .groupBy('i.project')
          .execute('all', false);
        const totals = new Map(rows.map((r) => [r.project_id, r.total]));
        return projectIds.map((id) => totals.get(id) ?? '0.00');
      }, { maxBatchSize: MAX_BATCH }),
    };
    cache.set(reader, loaders);
  }
  return loaders;
}
