/**
 * Which audited changes become domain events (docs/notifications.md).
 *
 * `eventOf` derives the event from the audit action, the changed object and
 * its changes; `Tx.audit` calls it for every audit event it writes, so a
 * mutation cannot change something that matters without its event, and the
 * event is written in the same transaction as the change (or not at all).
 * An event's `data` holds only what any recipient may read on the subject:
 * statuses, bands, revisions, rounds — never money, never free text.
 */
import { typeNameOf } from '../model/node';
import { EventType } from '../model/event.entity';
import { AuditAction, type Changes } from './audit';
import { riskBand, RiskBand, RiskVisibility } from '../model/risk.entity';

export interface DerivedEvent {
  type: EventType;
  data: Record<string, unknown>;
}

/** The value of `key` after the change: from the changes when it changed, else the object's own. */
function after(target: object, changes: Changes, key: string): unknown {
  return key in changes ? changes[key].after : (target as Record<string, unknown>)[key];
}

/** The value of `key` before the change (the object's own value when it did not change). */
function before(target: object, changes: Changes, key: string): unknown {
  return key in changes ? changes[key].before : (target as Record<string, unknown>)[key];
}

const BAND_ORDER: RiskBand[] = [RiskBand.LOW, RiskBand.MEDIUM, RiskBand.HIGH, RiskBand.CRITICAL];
const atLeastHigh = (band: RiskBand) => BAND_ORDER.indexOf(band) >= BAND_ORDER.indexOf(RiskBand.HIGH);
const SHARED_WITH_INVESTORS: unknown[] = [RiskVisibility.INVESTORS, RiskVisibility.STAKEHOLDERS];

const CONTRACT_STATUS_ACTIONS: string[] = [
  AuditAction.ContractActivate, AuditAction.ContractSuspend, AuditAction.ContractResume, AuditAction.ContractComplete, AuditAction.ContractTerminate,
];

/** The domain event an audited change raises, or null when it concerns nobody outside the writer's desk. */
export function eventOf(action: AuditAction, target: object, changes: Changes): DerivedEvent | null {
  const t = target as Record<string, unknown>;
  switch (action) {
    case AuditAction.DeliverableSubmit:
      return { type: EventType.DeliverableSubmitted, data: { status: after(t, changes, 'status'), round: after(t, changes, 'round') } };
    case AuditAction.DeliverableAccept:
      return { type: EventType.DeliverableAccepted, data: { status: after(t, changes, 'status'), round: t.round } };
    case AuditAction.DeliverableReject:
      return { type: EventType.DeliverableRejected, data: { status: after(t, changes, 'status'), round: t.round } };

    // A publication that supersedes an earlier revision publishes a restatement.
    case AuditAction.FinancialReportPublish: {
      const revision = Number(t.revision ?? 1);
      return {
        type: revision > 1 ? EventType.ReportRestated : EventType.ReportPublished,
        data: { status: after(t, changes, 'status'), revision, periodStart: t.periodStart },
      };
    }
    case AuditAction.FinancialReportSupersede:
      return { type: EventType.ReportSuperseded, data: { status: after(t, changes, 'status'), revision: t.revision, periodStart: t.periodStart } };

    case AuditAction.RiskCreate:
    case AuditAction.RiskRaise: {
      const band = riskBand(Number(t.likelihood) * Number(t.impact));
      if (!atLeastHigh(band)) return null;
      return { type: EventType.RiskRaised, data: { band, status: t.status, visibility: t.visibility } };
    }
    case AuditAction.RiskReassess: {
      if (!('likelihood' in changes) && !('impact' in changes)) return null;
      const from = riskBand(Number(before(t, changes, 'likelihood')) * Number(before(t, changes, 'impact')));
      const to = riskBand(Number(after(t, changes, 'likelihood')) * Number(after(t, changes, 'impact')));
      if (from === to) return null;
      const raised = atLeastHigh(to) && !atLeastHigh(from);
      return { type: raised ? EventType.RiskRaised : EventType.RiskReassessed, data: { band: to, previousBand: from, status: t.status, visibility: t.visibility } };
    }
    case AuditAction.RiskChangeVisibility: {
      if (!('visibility' in changes)) return null;
      const { before: was, after: now } = changes.visibility;
      if (SHARED_WITH_INVESTORS.includes(was) || !SHARED_WITH_INVESTORS.includes(now)) return null;
      return { type: EventType.RiskShared, data: { visibility: now, band: riskBand(Number(t.likelihood) * Number(t.impact)), status: t.status } };
    }

    case AuditAction.MilestoneComplete:
      return { type: EventType.MilestoneCompleted, data: { status: after(t, changes, 'status'), dueDate: t.dueDate } };
    case AuditAction.MilestoneSlip:
      return { type: EventType.MilestoneSlipped, data: { status: t.status, dueDate: t.dueDate } };

    case AuditAction.ProjectUpdatePost:
      return { type: EventType.UpdatePosted, data: { audience: t.audience } };

    // Investors' commitments are money: the event says one was recorded, never how much.
    case AuditAction.InvestmentRecord:
      return { type: EventType.InvestmentRecorded, data: {} };

    default:
      if (CONTRACT_STATUS_ACTIONS.includes(action) && 'status' in changes) {
        return { type: EventType.ContractStatusChanged, data: { from: changes.status.before, to: changes.status.after } };
      }
      return null;
  }
}

/** The GraphQL type name of an event's subject. */
export function subjectTypeOf(target: object): string {
  return typeNameOf(target);
}
