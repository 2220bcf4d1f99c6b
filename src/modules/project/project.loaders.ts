/**
 * Per-request loaders of the project module, kept on the request's reader
 * so they are never shared across viewers.
 */
import DataLoader from 'dataloader';
import { authed, type Context } from '../../access/context';
import { MAX_BATCH } from '../../access/reader';
import { User } from '../../model/identity.entity';
import { ProjectManager } from '../../model/project.entity';

export interface ProjectLoaders {
  managers: DataLoader<string, User[]>;
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
    };
    cache.set(reader, loaders);
  }
  return loaders;
}
