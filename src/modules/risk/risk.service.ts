/**
 * Risk register writes. The operator (ADMIN, or a MANAGER of the project)
 * keeps the register; a partner MEMBER raises risks on their own contracts.
 * Every change of likelihood or impact appends to the assessment history.
 */
import type { Context } from '../../access/context';
import { mutate, type Tx } from '../../write/transaction';
import { Checks, fail, LIMITS, requireThat } from '../../write/checks';
import { actionTo, transition } from '../../write/machine';
import { AuditAction, created } from '../../write/audit';
import { idOf } from '../../write/ids';
import { NotFoundError } from '../../core/errors';
import { can } from '../../access/policy';
import type { Viewer } from '../../access/viewer';
import { Contract } from '../../model/contract.entity';
import { OrganizationKind, User, UserRole } from '../../model/identity.entity';
import { UserErrorCode } from '../../core/user-error';
import { ProjectManager } from '../../model/project.entity';
import { managedProject } from '../project/project.service';
import { Risk, RiskAssessment, RiskVisibility } from '../../model/risk.entity';
import type {
  AssignRiskOwnerInput, ChangeRiskStatusInput, ChangeRiskVisibilityInput, CreateRiskInput, RaiseRiskInput, ReassessRiskInput, UpdateRiskInput,
} from './risk.mutation-inputs';
import { riskMachine, riskMay } from './risk.transitions';

function checkScores(checks: Checks, likelihood: number, impact: number): void {
  checks.int('likelihood', likelihood, 1, 5);
  checks.int('impact', impact, 1, 5);
}

function assess(tx: Tx, risk: Risk, assessor: User, likelihood: number, impact: number, note: string): void {
  tx.em.create(RiskAssessment, { risk, likelihood, impact, note, assessedBy: assessor, assessedAt: new Date() } as never);
}

export const riskService = {
  async create(ctx: Context, viewer: Viewer, input: CreateRiskInput) {
    const projectId = idOf(input.projectId, 'Project', 'projectId');
    const contractId = input.contractId == null ? null : idOf(input.contractId, 'Contract', 'contractId');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const title = checks.text('title', input.title, 1, LIMITS.title);
      const description = checks.text('description', input.description ?? '', 0, LIMITS.text);
      const mitigationPlan = checks.text('mitigationPlan', input.mitigationPlan ?? '', 0, LIMITS.text);
      checkScores(checks, input.likelihood, input.impact);
      const visibility = input.visibility ?? RiskVisibility.INTERNAL;
      if (visibility === RiskVisibility.CONTRACT && !contractId) checks.add('visibility', 'CONTRACT visibility needs a contractId: it shows the risk to that contract\'s partner');
      checks.done();
      const project = await managedProject(tx, projectId, false);
      const contract = contractId ? await tx.linked(Contract, contractId) : null;
      if (contract && contract.project.id !== project.id) {
        fail(UserErrorCode.VALIDATION, 'contractId: this contract belongs to another project; a risk\'s contract must be of its project', 'contractId');
      }
      const owner = await tx.linked(User, viewer.userId);
      const fields = { project, contract, title, description, category: input.category, likelihood: input.likelihood, impact: input.impact, mitigationPlan, visibility, owner };
      const risk = tx.em.create(Risk, fields as never);
      assess(tx, risk, owner, input.likelihood, input.impact, 'Initial assessment.');
      tx.audit(AuditAction.RiskCreate, risk, project.id, created({ ...fields, status: risk.status }));
      return risk;
    });
  },

  async raise(ctx: Context, viewer: Viewer, input: RaiseRiskInput) {
    const contractId = idOf(input.contractId, 'Contract', 'contractId');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const title = checks.text('title', input.title, 1, LIMITS.title);
      const description = checks.text('description', input.description ?? '', 0, LIMITS.text);
      checkScores(checks, input.likelihood, input.impact);
      checks.done();
      const contract = await tx.linked(Contract, contractId);
      requireThat(can.actOnContract(viewer, contract.id));
      const raisedBy = await tx.linked(User, viewer.userId);
      // Owner unset until the operator triages it; visible to the operator and this contract's partner only.
      const fields = {
        project: contract.project, contract, title, description, category: input.category, likelihood: input.likelihood, impact: input.impact,
        visibility: RiskVisibility.CONTRACT, owner: null,
      };
      const risk = tx.em.create(Risk, fields as never);
      assess(tx, risk, raisedBy, input.likelihood, input.impact, 'Raised by the partner.');
      tx.audit(AuditAction.RiskRaise, risk, contract.project.id, created({ ...fields, status: risk.status }));
      return risk;
    });
  },

  async update(ctx: Context, viewer: Viewer, input: UpdateRiskInput) {
    const id = idOf(input.id, 'Risk', 'id');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const title = checks.text('title', input.title, 1, LIMITS.title);
      const description = checks.text('description', input.description, 0, LIMITS.text);
      const mitigationPlan = checks.text('mitigationPlan', input.mitigationPlan, 0, LIMITS.text);
      checks.notNull('category', input.category);
      checks.done();
      const risk = await tx.target(Risk, id, { version: input.version, may: riskMay.update });
      transition(riskMachine, risk.status, 'update');
      const changes = tx.apply(risk, { title, description, mitigationPlan, category: input.category ?? undefined });
      if (Object.keys(changes).length) tx.audit(AuditAction.RiskUpdate, risk, risk.project.id, changes);
      return risk;
    });
  },

  async reassess(ctx: Context, viewer: Viewer, input: ReassessRiskInput) {
    const id = idOf(input.id, 'Risk', 'id');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      checkScores(checks, input.likelihood, input.impact);
      const note = checks.text('note', input.note ?? '', 0, LIMITS.note);
      checks.done();
      const risk = await tx.target(Risk, id, { version: input.version, may: riskMay.reassess });
      transition(riskMachine, risk.status, 'reassess');
      // An assessment is a change of the figures or a rationale for keeping them: a repeated save
      // without either would only add noise to the history (docs/state-machines.md).
      if (input.likelihood === risk.likelihood && input.impact === risk.impact && note.trim() === '') {
        fail(UserErrorCode.VALIDATION, `Likelihood (${input.likelihood}) and impact (${input.impact}) are unchanged: change one of them, or give a note saying why they stay`, 'note');
      }
      const changes = tx.apply(risk, { likelihood: input.likelihood, impact: input.impact });
      // With a rationale, "reviewed, unchanged" is recorded; the trend still compares with the last change of score.
      assess(tx, risk, await tx.linked(User, viewer.userId), input.likelihood, input.impact, note);
      tx.touch(risk);
      tx.audit(AuditAction.RiskReassess, risk, risk.project.id, { ...changes, note: { before: null, after: note } });
      return risk;
    });
  },

  async changeStatus(ctx: Context, viewer: Viewer, input: ChangeRiskStatusInput) {
    const id = idOf(input.id, 'Risk', 'id');
    return mutate(ctx, async (tx) => {
      const risk = await tx.target(Risk, id, { version: input.version, may: can.manageProjectOf });
      const action = actionTo(riskMachine, risk.status, input.status);
      tx.audit(`risk.${action}`, risk, risk.project.id, tx.apply(risk, { status: input.status }));
      return risk;
    });
  },

  async changeVisibility(ctx: Context, viewer: Viewer, input: ChangeRiskVisibilityInput) {
    const id = idOf(input.id, 'Risk', 'id');
    return mutate(ctx, async (tx) => {
      const risk = await tx.target(Risk, id, { version: input.version, may: can.manageProjectOf });
      if (input.visibility === RiskVisibility.CONTRACT && !risk.contract) {
        fail(UserErrorCode.VALIDATION, 'CONTRACT visibility needs the risk to concern a contract; this one concerns none', 'visibility');
      }
      const changes = tx.apply(risk, { visibility: input.visibility });
      if (Object.keys(changes).length) tx.audit(AuditAction.RiskChangeVisibility, risk, risk.project.id, changes);
      return risk;
    });
  },

  async assignOwner(ctx: Context, viewer: Viewer, input: AssignRiskOwnerInput) {
    const id = idOf(input.id, 'Risk', 'id');
    const ownerId = idOf(input.ownerId, 'User', 'ownerId');
    return mutate(ctx, async (tx) => {
      const risk = await tx.target(Risk, id, { version: input.version, may: riskMay.assignOwner });
      transition(riskMachine, risk.status, 'assignOwner');
      const [owner] = await tx.find(User, { id: ownerId }, { populate: ['organization'] });
      if (!owner) throw new NotFoundError('User');
      const manages = owner.role === UserRole.ADMIN || (await tx.em.count(ProjectManager, { project: risk.project.id, user: owner.id })) > 0;
      if (owner.organization.kind !== OrganizationKind.OPERATOR || !manages || owner.disabledAt) {
        fail(UserErrorCode.VALIDATION, `ownerId: ${owner.name} cannot own this risk: owners are enabled operator users who can manage the project (ADMIN or one of its MANAGERs)`, 'ownerId');
      }
      const changes = tx.apply(risk, { owner });
      if (Object.keys(changes).length) tx.audit(AuditAction.RiskAssignOwner, risk, risk.project.id, changes);
      return risk;
    });
  },
};
