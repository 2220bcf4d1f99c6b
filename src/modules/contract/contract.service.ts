/** Contract writes, by whoever manages the contract's project. */
import type { Context } from '../../access/context';
import { mutate, type Tx } from '../../write/transaction';
import { Checks, fail, withArticle, LIMITS, money } from '../../write/checks';
import { transition } from '../../write/machine';
import { AuditAction, created } from '../../write/audit';
import { idOf } from '../../write/ids';
import { can } from '../../access/policy';
import type { Viewer } from '../../access/viewer';
import { Organization, PARTNER_KINDS } from '../../model/identity.entity';
import { UserErrorCode } from '../../core/user-error';
import { managedProject } from '../project/project.service';
import { Deliverable } from '../../model/deliverable.entity';
import { Contract } from '../../model/contract.entity';
import type { CreateContractInput, TerminateContractInput, UpdateContractInput } from './contract.mutation-inputs';
import { contractMachine, type ContractAction, contractMay } from './contract.transitions';

const REFERENCE_MAX = 60;

/** The counterparty named in the input: visible (NOT_FOUND otherwise) and a partner organization. */
async function counterparty(tx: Tx, id: string): Promise<Organization> {
  const org = await tx.linked(Organization, id);
  if (!PARTNER_KINDS.includes(org.kind)) {
    fail(UserErrorCode.VALIDATION, `counterpartyId: ${org.name} is ${withArticle(org.kind)} organization; contracts are with a VENDOR or SUBCONTRACTOR`, 'counterpartyId');
  }
  return org;
}

export const contractService = {
  async create(ctx: Context, viewer: Viewer, input: CreateContractInput) {
    const projectId = idOf(input.projectId, 'Project', 'projectId');
    const counterpartyId = idOf(input.counterpartyId, 'Organization', 'counterpartyId');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const reference = checks.text('reference', input.reference, 1, REFERENCE_MAX);
      const title = checks.text('title', input.title, 1, LIMITS.title);
      checks.order('endDate', input.startDate, input.endDate, true, 'endDate must be on or after startDate');
      checks.done();
      const project = await managedProject(tx, projectId, false);
      const org = await counterparty(tx, counterpartyId);
      const fields = {
        project, counterparty: org, reference, title, kind: input.kind, value: money(input.value), startDate: input.startDate, endDate: input.endDate,
      };
      const contract = tx.em.create(Contract, fields as never);
      tx.audit(AuditAction.ContractCreate, contract, project.id, created({ ...fields, status: contract.status }));
      return contract;
    });
  },

  async update(ctx: Context, viewer: Viewer, input: UpdateContractInput) {
    const id = idOf(input.id, 'Contract', 'id');
    const counterpartyId = input.counterpartyId == null ? input.counterpartyId : idOf(input.counterpartyId, 'Organization', 'counterpartyId');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const reference = checks.text('reference', input.reference, 1, REFERENCE_MAX);
      const title = checks.text('title', input.title, 1, LIMITS.title);
      for (const key of ['counterpartyId', 'kind', 'value', 'startDate', 'endDate'] as const) checks.notNull(key, input[key]);
      checks.done();
      const contract = await tx.target(Contract, id, { version: input.version, may: contractMay.update });
      transition(contractMachine, contract.status, 'update');
      const org = counterpartyId ? await counterparty(tx, counterpartyId) : undefined;
      const startDate = input.startDate ?? contract.startDate;
      const endDate = input.endDate ?? contract.endDate;
      checks.order('endDate', startDate, endDate, true, 'endDate must be on or after startDate');
      await tx.checkCovers(
        checks, { entity: Deliverable, where: { contract: id }, noun: 'deliverable', remedy: 'move' },
        { field: 'startDate', value: startDate, was: contract.startDate }, { field: 'endDate', value: endDate, was: contract.endDate },
      );
      checks.done();
      const changes = tx.apply(contract, {
        counterparty: org, reference, title, kind: input.kind ?? undefined, value: input.value == null ? undefined : money(input.value),
        startDate: input.startDate ?? undefined, endDate: input.endDate ?? undefined,
      });
      if (Object.keys(changes).length) tx.audit(AuditAction.ContractUpdate, contract, contract.project.id, changes);
      return contract;
    });
  },

  /** activate, suspend, resume, complete: the state machine alone. */
  async act(ctx: Context, viewer: Viewer, action: Exclude<ContractAction, 'update' | 'terminate'>, input: { id: string; version: number }) {
    const id = idOf(input.id, 'Contract', 'id');
    return mutate(ctx, async (tx) => {
      const contract = await tx.target(Contract, id, { version: input.version, may: contractMay[action] });
      const changes = tx.apply(contract, { status: transition(contractMachine, contract.status, action) });
      tx.audit(`contract.${action}`, contract, contract.project.id, changes);
      return contract;
    });
  },

  async terminate(ctx: Context, viewer: Viewer, input: TerminateContractInput) {
    const id = idOf(input.id, 'Contract', 'id');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const reason = checks.text('reason', input.reason, 1, LIMITS.note);
      checks.done();
      const contract = await tx.target(Contract, id, { version: input.version, may: contractMay.terminate });
      const status = transition(contractMachine, contract.status, 'terminate');
      const changes = tx.apply(contract, { status, terminationReason: reason });
      tx.audit(AuditAction.ContractTerminate, contract, contract.project.id, changes);
      return contract;
    });
  },
};
