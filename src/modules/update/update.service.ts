/** Project updates: posted by the operator with the viewer as author, edited by their author only. */
import type { Context } from '../../access/context';
import { mutate } from '../../write/transaction';
import { Checks, LIMITS } from '../../write/checks';
import { AuditAction, created } from '../../write/audit';
import { idOf } from '../../write/ids';
import { can } from '../../access/policy';
import type { Viewer } from '../../access/viewer';
import { User } from '../../model/identity.entity';
import { managedProject } from '../project/project.service';
import { ProjectUpdate } from '../../model/update.entity';
import type { EditProjectUpdateInput, PostProjectUpdateInput } from './update.mutation-inputs';

export const projectUpdateService = {
  async post(ctx: Context, viewer: Viewer, input: PostProjectUpdateInput) {
    const projectId = idOf(input.projectId, 'Project', 'projectId');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const title = checks.text('title', input.title, 1, LIMITS.title);
      const body = checks.text('body', input.body, 1, LIMITS.text);
      checks.done();
      const project = await managedProject(tx, projectId, false);
      const author = await tx.linked(User, viewer.userId);
      const fields = { project, author, title, body, audience: input.audience, publishedAt: new Date() };
      const update = tx.em.create(ProjectUpdate, fields as never);
      tx.audit(AuditAction.ProjectUpdatePost, update, project.id, created(fields));
      return update;
    });
  },

  async edit(ctx: Context, viewer: Viewer, input: EditProjectUpdateInput) {
    const id = idOf(input.id, 'ProjectUpdate', 'id');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const title = checks.text('title', input.title, 1, LIMITS.title);
      const body = checks.text('body', input.body, 1, LIMITS.text);
      checks.notNull('audience', input.audience);
      checks.done();
      const update = await tx.target(ProjectUpdate, id, { version: input.version, may: can.editUpdate, denied: 'Only the author of a project update can edit it' });
      const changes = tx.apply(update, { title, body, audience: input.audience ?? undefined });
      if (Object.keys(changes).length) tx.audit(AuditAction.ProjectUpdateEdit, update, update.project.id, changes);
      return update;
    });
  },
};
