/** Investments are recorded and corrected by administrators only (docs/visibility.md). */
import type { Context } from '../../access/context';
import { mutate } from '../../write/transaction';
import { Checks, fail, withArticle, money } from '../../write/checks';
import { AuditAction, created } from '../../write/audit';
import { idOf } from '../../write/ids';
import type { Viewer } from '../../access/viewer';
import { Organization, OrganizationKind } from '../../model/identity.entity';
import { UserErrorCode } from '../../core/user-error';
import { Project } from '../../model/project.entity';
import { Investment } from '../../model/investment.entity';
import type { RecordInvestmentInput, UpdateInvestmentInput } from './investment.mutation-inputs';

export const investmentService = {
  async record(ctx: Context, viewer: Viewer, input: RecordInvestmentInput) {
    const projectId = idOf(input.projectId, 'Project', 'projectId');
    const organizationId = idOf(input.organizationId, 'Organization', 'organizationId');
    return mutate(ctx, async (tx) => {
      const project = await tx.linked(Project, projectId);
      const organization = await tx.linked(Organization, organizationId);
      if (organization.kind !== OrganizationKind.INVESTOR) {
        fail(UserErrorCode.VALIDATION, `organizationId: ${organization.name} is ${withArticle(organization.kind)} organization; investments come from INVESTOR organizations`, 'organizationId');
      }
      const fields = { project, organization, committedAmount: money(input.committedAmount), committedOn: input.committedOn };
      const investment = tx.em.create(Investment, fields as never);
      tx.audit(AuditAction.InvestmentRecord, investment, project.id, created(fields));
      return investment;
    });
  },

  async update(ctx: Context, viewer: Viewer, input: UpdateInvestmentInput) {
    const id = idOf(input.id, 'Investment', 'id');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      checks.notNull('committedAmount', input.committedAmount);
      checks.notNull('committedOn', input.committedOn);
      checks.done();
      const investment = await tx.target(Investment, id, { version: input.version });
      const changes = tx.apply(investment, {
        committedAmount: input.committedAmount == null ? undefined : money(input.committedAmount), committedOn: input.committedOn ?? undefined,
      });
      if (Object.keys(changes).length) tx.audit(AuditAction.InvestmentUpdate, investment, investment.project.id, changes);
      return investment;
    });
  },
};
