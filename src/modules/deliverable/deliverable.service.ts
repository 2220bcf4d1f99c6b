/**
 * Deliverable writes. The operator (ADMIN, or a MANAGER of the project)
 * creates, edits, accepts and rejects; the partner's MEMBERs start and submit
 * the deliverables of their own organization's contracts, only while the
 * contract is ACTIVE. Submission is the partner's statement and the decision
 * the operator's, so neither side can perform the other's step.
 */
import type { Context } from '../../access/context';
import { mutate, type Tx } from '../../write/transaction';
import { Checks, fail, LIMITS, requireThat } from '../../write/checks';
import { transition } from '../../write/machine';
import { AuditAction, auditValue, created, type Changes } from '../../write/audit';
import { idOf } from '../../write/ids';
import { can } from '../../access/policy';
import { SYSTEM_USER_ID, type Viewer } from '../../access/viewer';
import { Contract, ContractStatus } from '../../model/contract.entity';
import { UserErrorCode } from '../../core/user-error';
import { Milestone } from '../../model/milestone.entity';
import { Deliverable, DeliverableDecision, DeliverableReview, DeliverableSubmission } from '../../model/deliverable.entity';
import type {
  AcceptDeliverableInput, CreateDeliverableInput, RejectDeliverableInput, StartDeliverableInput, SubmitDeliverableInput, UpdateDeliverableInput,
} from './deliverable.mutation-inputs';
import { deliverableMachine, deliverableMay } from './deliverable.transitions';
import { attachFiles, fileIdsOf } from '../../write/files';
import { FileSubjectType } from '../../model/file.entity';

const OPEN_CONTRACT = [ContractStatus.DRAFT, ContractStatus.ACTIVE, ContractStatus.SUSPENDED];

/**
 * A milestone named in the input: visible (NOT_FOUND otherwise, like any id)
 * and of the same project as the deliverable's contract (VALIDATION otherwise).
 */
async function sameProjectMilestone(tx: Tx, milestoneId: string, projectId: string): Promise<Milestone> {
  const milestone = await tx.linked(Milestone, milestoneId);
  if (milestone.project.id !== projectId) {
    fail(UserErrorCode.VALIDATION, 'milestoneId: this milestone belongs to another project; a deliverable\'s milestone must be of its contract\'s project', 'milestoneId');
  }
  return milestone;
}

function checkDueDate(checks: Checks, contract: Contract, dueDate: string): void {
  if (dueDate < contract.startDate || dueDate > contract.endDate) {
    checks.add('dueDate', `dueDate must be within the contract's dates, ${contract.startDate} to ${contract.endDate} (got ${dueDate})`);
  }
}

function requireActiveContract(contract: Contract, action: string): void {
  if (contract.status !== ContractStatus.ACTIVE) {
    fail(UserErrorCode.INVALID_TRANSITION, `Contract ${contract.reference} is ${contract.status}: deliverables can be ${action} only while it is ACTIVE`);
  }
}

/**
 * The viewer as the author of a round or a review, by id as the audit event
 * records its actor (the signed-in user, never an id from the input). The
 * CLI's built-in administrator has no user row: null, as in its audit events.
 */
function author(tx: Tx): string | null {
  return tx.viewer.userId === SYSTEM_USER_ID ? null : tx.viewer.userId;
}

/**
 * The review of the current round, written with the decision's state change.
 * A SUBMITTED deliverable without a recorded round (written by an import,
 * not by submitDeliverable) first gets its round 1 from its own fields, as the
 * migration recovers older rows: the review always decides a recorded round.
 */
function recordReview(tx: Tx, deliverable: Deliverable, decision: DeliverableDecision, comment: string | null, at: Date, changes: Changes): void {
  if (deliverable.round < 1) {
    Object.assign(changes, tx.apply(deliverable, { round: 1 }));
    tx.em.create(DeliverableSubmission, {
      deliverable, round: 1, note: deliverable.submissionNote ?? null, submittedBy: null, submittedAt: deliverable.submittedAt ?? at,
    } as never);
  }
  tx.em.create(DeliverableReview, {
    deliverable, round: deliverable.round, decision, comment, reviewedBy: author(tx), reviewedAt: at,
  } as never);
}

export const deliverableService = {
  async create(ctx: Context, viewer: Viewer, input: CreateDeliverableInput) {
    const contractId = idOf(input.contractId, 'Contract', 'contractId');
    const milestoneId = input.milestoneId == null ? null : idOf(input.milestoneId, 'Milestone', 'milestoneId');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const title = checks.text('title', input.title, 1, LIMITS.title);
      const description = checks.text('description', input.description ?? '', 0, LIMITS.text);
      checks.done();
      // FOR SHARE: the contract's status and dates hold until this deliverable is written (see updateContract).
      const contract = await tx.linked(Contract, contractId, 'share');
      requireThat(can.manageProject(viewer, contract.project.id));
      if (!OPEN_CONTRACT.includes(contract.status)) {
        fail(UserErrorCode.INVALID_TRANSITION, `Contract ${contract.reference} is ${contract.status}: deliverables can be added only while it is DRAFT, ACTIVE or SUSPENDED`, 'contractId');
      }
      const milestone = milestoneId ? await sameProjectMilestone(tx, milestoneId, contract.project.id) : null;
      checkDueDate(checks, contract, input.dueDate);
      checks.done();
      const fields = { project: contract.project, contract, milestone, title, description, dueDate: input.dueDate };
      const deliverable = tx.em.create(Deliverable, fields as never);
      tx.audit(AuditAction.DeliverableCreate, deliverable, contract.project.id, created({ ...fields, status: deliverable.status }));
      return deliverable;
    });
  },

  async update(ctx: Context, viewer: Viewer, input: UpdateDeliverableInput) {
    const id = idOf(input.id, 'Deliverable', 'id');
    const milestoneId = input.milestoneId == null ? input.milestoneId : idOf(input.milestoneId, 'Milestone', 'milestoneId');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const title = checks.text('title', input.title, 1, LIMITS.title);
      const description = checks.text('description', input.description, 0, LIMITS.text);
      checks.notNull('dueDate', input.dueDate);
      checks.done();
      const deliverable = await tx.target(Deliverable, id, { version: input.version, may: deliverableMay.update });
      transition(deliverableMachine, deliverable.status, 'update');
      const milestone = milestoneId ? await sameProjectMilestone(tx, milestoneId, deliverable.project.id) : (milestoneId as null | undefined);
      if (input.dueDate) {
        checkDueDate(checks, await tx.linked(Contract, deliverable.contract.id, 'share'), input.dueDate);
        checks.done();
      }
      const changes = tx.apply(deliverable, { title, description, dueDate: input.dueDate ?? undefined, milestone });
      if (Object.keys(changes).length) tx.audit(AuditAction.DeliverableUpdate, deliverable, deliverable.project.id, changes);
      return deliverable;
    });
  },

  async start(ctx: Context, viewer: Viewer, input: StartDeliverableInput) {
    const id = idOf(input.id, 'Deliverable', 'id');
    return mutate(ctx, async (tx) => {
      const deliverable = await tx.target(Deliverable, id, { version: input.version, may: can.actOnContractOf });
      const contract = await tx.linked(Contract, deliverable.contract.id);
      const status = transition(deliverableMachine, deliverable.status, 'start');
      requireActiveContract(contract, 'started');
      const changes = tx.apply(deliverable, { status });
      tx.audit(AuditAction.DeliverableStart, deliverable, deliverable.project.id, changes);
      return deliverable;
    });
  },

  async submit(ctx: Context, viewer: Viewer, input: SubmitDeliverableInput) {
    const id = idOf(input.id, 'Deliverable', 'id');
    return mutate(ctx, async (tx) => {
      const fileIds = fileIdsOf(input.fileIds, 'fileIds');
      const checks = new Checks();
      const note = checks.text('note', input.note ?? '', 0, LIMITS.note);
      checks.done();
      const deliverable = await tx.target(Deliverable, id, { version: input.version, may: can.actOnContractOf });
      const contract = await tx.linked(Contract, deliverable.contract.id);
      const status = transition(deliverableMachine, deliverable.status, 'submit');
      requireActiveContract(contract, 'submitted');
      const at = new Date();
      const changes = tx.apply(deliverable, { status, submissionNote: note || null, submittedAt: at, round: deliverable.round + 1 });
      const submission = tx.em.create(DeliverableSubmission, {
        deliverable, round: deliverable.round, note: note || null, submittedBy: author(tx), submittedAt: at,
      } as never);
      const files = await attachFiles(tx, fileIds, FileSubjectType.DeliverableSubmission, submission, deliverable.project, 'fileIds');
      if (files.length) changes.files = { before: null, after: files.map((f) => auditValue(f)) };
      tx.audit(AuditAction.DeliverableSubmit, deliverable, deliverable.project.id, changes);
      return deliverable;
    });
  },

  async accept(ctx: Context, viewer: Viewer, input: AcceptDeliverableInput) {
    const id = idOf(input.id, 'Deliverable', 'id');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const comment = checks.text('comment', input.comment ?? '', 0, LIMITS.note);
      checks.done();
      const deliverable = await tx.target(Deliverable, id, { version: input.version, may: deliverableMay.accept });
      const status = transition(deliverableMachine, deliverable.status, 'accept');
      const at = new Date();
      // The reason of an earlier rejection no longer describes the deliverable; its review (and the audit trail) keeps it.
      const changes = tx.apply(deliverable, { status, decidedAt: at, rejectionReason: null });
      recordReview(tx, deliverable, DeliverableDecision.ACCEPTED, comment || null, at, changes);
      // The comment lives on the review, not on the deliverable; the event records it with the decision.
      if (comment) changes.comment = { before: null, after: auditValue(comment) };
      tx.audit(AuditAction.DeliverableAccept, deliverable, deliverable.project.id, changes);
      return deliverable;
    });
  },

  async reject(ctx: Context, viewer: Viewer, input: RejectDeliverableInput) {
    const id = idOf(input.id, 'Deliverable', 'id');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const reason = checks.text('reason', input.reason, 1, LIMITS.note);
      checks.done();
      const deliverable = await tx.target(Deliverable, id, { version: input.version, may: deliverableMay.reject });
      const status = transition(deliverableMachine, deliverable.status, 'reject');
      const at = new Date();
      const changes = tx.apply(deliverable, { status, decidedAt: at, rejectionReason: reason });
      recordReview(tx, deliverable, DeliverableDecision.REJECTED, reason ?? null, at, changes);
      tx.audit(AuditAction.DeliverableReject, deliverable, deliverable.project.id, changes);
      return deliverable;
    });
  },
};
