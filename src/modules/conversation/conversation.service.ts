/**
 * Q&A threads and report acknowledgements. Investors and partners ask about
 * what they can see; the operator staff of the project answer, publish and
 * close. Investor users record that they opened and acknowledged a report
 * revision; the operator reminds those who have not acknowledged it.
 */
import { LockMode, type EntityClass } from '@mikro-orm/core';
import type { Context } from '../../access/context';
import { can } from '../../access/policy';
import type { Viewer } from '../../access/viewer';
import { decodeId, parseGlobalId } from '../../core/global-id';
import { UserErrorCode } from '../../core/user-error';
import { mutate, type Tx } from '../../write/transaction';
import { Checks, fail, LIMITS } from '../../write/checks';
import { AuditAction, created, gid } from '../../write/audit';
import { idOf } from '../../write/ids';
import { transition } from '../../write/machine';
import { Deliverable } from '../../model/deliverable.entity';
import { FinancialReport, ReportStatus } from '../../model/financial-report.entity';
import { Organization, OrganizationKind, User, UserRole } from '../../model/identity.entity';
import { Investment } from '../../model/investment.entity';
import { Milestone } from '../../model/milestone.entity';
import { Project, ProjectManager } from '../../model/project.entity';
import { Risk } from '../../model/risk.entity';
import { ProjectUpdate } from '../../model/update.entity';
import { QaMessage, QaThread, ThreadStatus, ThreadSubjectType } from '../../model/thread.entity';
import { ReportAcknowledgement } from '../../model/acknowledgement.entity';
import { threadMachine, threadMay } from './conversation.transitions';
import type {
  AskQuestionInput, CloseThreadInput, PostMessageInput, PublishThreadInput, ReportRevisionInput,
} from './conversation.mutation-inputs';

type Subject = { id: string; project: Project };

/** The objects a thread can be about: entity class and the thread's typed key. */
export const SUBJECTS: Record<ThreadSubjectType, { entity: EntityClass<Subject>; key: 'report' | 'risk' | 'deliverable' | 'milestone' | 'update' }> = {
  [ThreadSubjectType.FinancialReport]: { entity: FinancialReport as unknown as EntityClass<Subject>, key: 'report' },
  [ThreadSubjectType.Risk]: { entity: Risk as unknown as EntityClass<Subject>, key: 'risk' },
  [ThreadSubjectType.Deliverable]: { entity: Deliverable as unknown as EntityClass<Subject>, key: 'deliverable' },
  [ThreadSubjectType.Milestone]: { entity: Milestone as unknown as EntityClass<Subject>, key: 'milestone' },
  [ThreadSubjectType.ProjectUpdate]: { entity: ProjectUpdate as unknown as EntityClass<Subject>, key: 'update' },
};

/** At most this many users mentioned in one message. */
export const MAX_MENTIONS = 20;

const STAFF_ONLY = 'Only the operator staff of the project can do this to a thread';

function subjectOf(globalId: string): { type: ThreadSubjectType; id: string } {
  const id = decodeId(globalId, Object.values(ThreadSubjectType), 'input.subjectId');
  return { type: parseGlobalId(globalId)!.type as ThreadSubjectType, id };
}

/**
 * Mentioned users: each visible to the writer (NOT_FOUND otherwise, like any
 * linked id) and operator staff of the thread's project — an ADMIN, or a
 * MANAGER of that project — or a VALIDATION error on its entry.
 */
async function mentionsOf(tx: Tx, checks: Checks, projectId: string, ids: string[]): Promise<string[]> {
  const seen = new Set<string>();
  for (const [i, id] of ids.entries()) {
    if (seen.has(id)) continue;
    seen.add(id);
    const user = await tx.linked(User, id);
    const [org] = await tx.find(Organization, { id: user.organization.id });
    // The user was read through the policy above; this only asks whether that visible user manages the visible project.
    const staff = !!org && org.kind === OrganizationKind.OPERATOR && !user.disabledAt
      && (user.role === UserRole.ADMIN || (await tx.em.count(ProjectManager, { project: projectId, user: user.id })) > 0);
    if (!staff) checks.add(`mentionIds.${i}`, `${user.name} is not an administrator or a manager of this project: only the project's operator staff can be mentioned`);
  }
  return [...seen];
}

export const conversationService = {
  async ask(ctx: Context, viewer: Viewer, input: AskQuestionInput) {
    const subjectRef = subjectOf(input.subjectId);
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const title = checks.text('title', input.title, 1, LIMITS.title);
      const body = checks.text('body', input.body, 1, LIMITS.text);
      checks.notNull('private', input.private);
      checks.done();
      const { entity, key } = SUBJECTS[subjectRef.type];
      // Through the subject's own rule: an object the asker cannot see is NOT_FOUND.
      const subject = await tx.linked(entity, subjectRef.id, 'share');
      const askedBy = await tx.linked(User, viewer.userId);
      const askerOrganization = await tx.linked(Organization, viewer.orgId);
      const now = new Date();
      const fields = {
        project: subject.project, subjectType: subjectRef.type, subjectId: subject.id, [key]: subject,
        askerOrganization, askedBy, title, isPrivate: input.private, status: ThreadStatus.OPEN, lastMessageAt: now,
      };
      const thread = tx.em.create(QaThread, fields as never);
      const message = tx.em.create(QaMessage, { thread, project: subject.project, author: askedBy, fromOperator: false, body, mentionIds: [] } as never);
      tx.audit(AuditAction.QaThreadAsk, thread, subject.project.id, created({
        subject: gid(subjectRef.type, subject.id), title, private: input.private, status: ThreadStatus.OPEN,
      }));
      tx.audit(AuditAction.QaMessagePost, message, subject.project.id, created({ thread, body }));
      return thread;
    });
  },

  async post(ctx: Context, viewer: Viewer, input: PostMessageInput) {
    const threadId = idOf(input.threadId, 'QaThread', 'threadId');
    const mentionIds = (input.mentionIds ?? []).map((m, i) => idOf(m, 'User', `mentionIds.${i}`));
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const body = checks.text('body', input.body, 1, LIMITS.text);
      if (mentionIds.length > MAX_MENTIONS) checks.add('mentionIds', `at most ${MAX_MENTIONS} users can be mentioned (got ${mentionIds.length})`);
      checks.done();
      const fromOperator = viewer.side === 'operator';
      const action = fromOperator ? 'answer' : 'followUp';
      const thread = await tx.target(QaThread, threadId, {
        may: threadMay[action], denied: 'Only the asking organization and the operator staff of the project can write in this thread',
      });
      const status = transition(threadMachine, thread.status, action);
      const mentions = await mentionsOf(tx, checks, thread.project.id, mentionIds);
      checks.done();
      const author = await tx.linked(User, viewer.userId);
      const message = tx.em.create(QaMessage, { thread, project: thread.project, author, fromOperator, body, mentionIds: mentions } as never);
      const changes = tx.apply(thread, { status, lastMessageAt: new Date() });
      tx.audit(AuditAction.QaMessagePost, message, thread.project.id, {
        ...created({ thread, body, mentions: mentions.map((id) => gid('User', id)) }),
        ...(changes.status ? { threadStatus: changes.status } : {}),
      });
      return message;
    });
  },

  async publish(ctx: Context, input: PublishThreadInput) {
    const id = idOf(input.id, 'QaThread', 'id');
    return mutate(ctx, async (tx) => {
      const thread = await tx.target(QaThread, id, { version: input.version, may: threadMay.publish, denied: STAFF_ONLY });
      if (!thread.isPrivate) fail(UserErrorCode.VALIDATION, 'The thread is already visible to everyone who sees its object', 'id');
      transition(threadMachine, thread.status, 'publish');
      const changes = tx.apply(thread, { isPrivate: false, publishedAt: new Date() });
      tx.audit(AuditAction.QaThreadPublish, thread, thread.project.id, changes);
      return thread;
    });
  },

  async close(ctx: Context, input: CloseThreadInput) {
    const id = idOf(input.id, 'QaThread', 'id');
    return mutate(ctx, async (tx) => {
      const thread = await tx.target(QaThread, id, { version: input.version, may: threadMay.close, denied: STAFF_ONLY });
      const status = transition(threadMachine, thread.status, 'close');
      const changes = tx.apply(thread, { status, closedAt: new Date() });
      tx.audit(AuditAction.QaThreadClose, thread, thread.project.id, changes);
      return thread;
    });
  },

  /** The investor user's own row for a report revision, created on first use. */
  async readReport(ctx: Context, viewer: Viewer, input: ReportRevisionInput, action: 'open' | 'acknowledge') {
    const id = idOf(input.id, 'FinancialReport', 'id');
    return mutate(ctx, async (tx) => {
      const report = await tx.linked(FinancialReport, id, 'share');
      if (action === 'acknowledge' && report.status !== ReportStatus.PUBLISHED) {
        fail(UserErrorCode.INVALID_TRANSITION, `FinancialReport is ${report.status}: only the current PUBLISHED revision can be acknowledged`);
      }
      const [existing] = await tx.find(ReportAcknowledgement, { report: report.id, user: viewer.userId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      let ack = existing;
      if (!ack) {
        const user = await tx.linked(User, viewer.userId);
        const organization = await tx.linked(Organization, viewer.orgId);
        ack = tx.em.create(ReportAcknowledgement, { report, project: report.project, user, organization } as never);
      }
      const now = new Date();
      const changes = tx.apply(ack, action === 'open'
        ? { openedAt: ack.openedAt ?? now }
        : { openedAt: ack.openedAt ?? now, acknowledgedAt: ack.acknowledgedAt ?? now });
      if (Object.keys(changes).length) {
        tx.audit(action === 'open' ? AuditAction.FinancialReportOpen : AuditAction.FinancialReportAcknowledge, report, report.project.id, {
          user: { before: null, after: gid('User', viewer.userId) }, ...changes,
        });
      }
      return ack;
    });
  },

  async remind(ctx: Context, input: ReportRevisionInput) {
    const id = idOf(input.id, 'FinancialReport', 'id');
    return mutate(ctx, async (tx) => {
      const report = await tx.target(FinancialReport, id, { may: can.manageProjectOf, denied: 'Only the operator staff of the project can send reminders' });
      if (report.status !== ReportStatus.PUBLISHED) {
        fail(UserErrorCode.INVALID_TRANSITION, `FinancialReport is ${report.status}: only the current PUBLISHED revision can be acknowledged, so only it is reminded`);
      }
      const investors = await tx.find(Investment, { project: report.project.id });
      const orgIds = [...new Set(investors.map((i) => i.organization.id))];
      const readers = await tx.find(User, { organization: { $in: orgIds }, disabledAt: null }, { orderBy: { email: 'asc' } });
      const acknowledged = new Set((await tx.find(ReportAcknowledgement, { report: report.id, acknowledgedAt: { $ne: null } })).map((a) => a.user.id));
      const reminded = readers.filter((u) => !acknowledged.has(u.id));
      tx.audit(AuditAction.FinancialReportRemind, report, report.project.id, {
        reminded: { before: null, after: reminded.map((u) => gid('User', u.id)) },
      });
      return { report, reminded };
    });
  },
};
