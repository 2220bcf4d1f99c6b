/**
 * Attaching files to objects, and the document room's writes
 * (docs/files.md). Who may attach to what is the write permission of the
 * object itself: the operator's staff of its project for contracts, risks
 * and reports (a report only while DRAFT: a published report's pack is fixed
 * like its figures), the author for a project update.
 */
import type { Context } from '../../access/context';
import { can } from '../../access/policy';
import { parseGlobalId } from '../../core/global-id';
import { BadUserInputError } from '../../core/errors';
import { UserErrorCode } from '../../core/user-error';
import { Contract } from '../../model/contract.entity';
import { DocumentFolder, FileSubjectType, ProjectDocument } from '../../model/file.entity';
import { FinancialReport, ReportStatus } from '../../model/financial-report.entity';
import { Project } from '../../model/project.entity';
import { Risk } from '../../model/risk.entity';
import { ProjectUpdate } from '../../model/update.entity';
import { AuditAction, created } from '../../write/audit';
import { Checks, fail, LIMITS, requireThat } from '../../write/checks';
import { attachFiles, fileIdsOf } from '../../write/files';
import { idOf } from '../../write/ids';
import { mutate, type Tx } from '../../write/transaction';
import type { AddProjectDocumentInput, AttachFilesInput, CreateDocumentFolderInput } from './files.mutation-inputs';

const SUBJECT_TYPES = ['Contract', 'Risk', 'ProjectUpdate', 'FinancialReport'] as const;

/** The object files are attached to, locked, with the viewer's permission on it checked. */
async function subjectOf(tx: Tx, type: (typeof SUBJECT_TYPES)[number], id: string): Promise<{ subject: { id: string; project: Project }; kind: FileSubjectType }> {
  switch (type) {
    case 'Contract':
      return { subject: await tx.target(Contract, id, { may: can.manageProjectOf }), kind: FileSubjectType.Contract };
    case 'Risk':
      return { subject: await tx.target(Risk, id, { may: can.manageProjectOf }), kind: FileSubjectType.Risk };
    case 'ProjectUpdate':
      return {
        subject: await tx.target(ProjectUpdate, id, { may: can.editUpdate, denied: 'Only the author of a project update can attach files to it' }),
        kind: FileSubjectType.ProjectUpdate,
      };
    case 'FinancialReport': {
      const report = await tx.target(FinancialReport, id, { may: can.manageProjectOf });
      if (report.status !== ReportStatus.DRAFT) {
        fail(UserErrorCode.INVALID_TRANSITION, `This report is ${report.status}: its files are fixed like its figures once published; restate it to change them`, 'subjectId');
      }
      return { subject: report, kind: FileSubjectType.FinancialReport };
    }
  }
}

export const filesService = {
  async attach(ctx: Context, input: AttachFilesInput) {
    const decoded = parseGlobalId(input.subjectId);
    const type = SUBJECT_TYPES.find((t) => t === decoded?.type);
    if (!decoded || !type) {
      throw new BadUserInputError(`input.subjectId: expected the id of a ${SUBJECT_TYPES.join(', ')}`, 'input.subjectId');
    }
    return mutate(ctx, async (tx) => {
      const ids = fileIdsOf(input.fileIds, 'fileIds');
      if (!ids.length) fail(UserErrorCode.VALIDATION, 'fileIds: give at least one file', 'fileIds');
      const { subject, kind } = await subjectOf(tx, type, decoded.id);
      return attachFiles(tx, ids, kind, subject, subject.project, 'fileIds');
    });
  },

  async createFolder(ctx: Context, input: CreateDocumentFolderInput) {
    const projectId = idOf(input.projectId, 'Project', 'projectId');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const name = checks.text('name', input.name, 1, LIMITS.title);
      checks.done();
      const project = await tx.linked(Project, projectId, 'share');
      requireThat(can.manageProject(tx.viewer, project.id));
      const folder = tx.em.create(DocumentFolder, { project, name } as never);
      tx.audit(AuditAction.DocumentFolderCreate, folder, project.id, created({ project, name }));
      return folder;
    });
  },

  async addDocument(ctx: Context, input: AddProjectDocumentInput) {
    const folderId = idOf(input.folderId, 'DocumentFolder', 'folderId');
    const fileId = idOf(input.fileId, 'File', 'fileId');
    return mutate(ctx, async (tx) => {
      const checks = new Checks();
      const title = checks.text('title', input.title, 1, LIMITS.title);
      checks.done();
      const folder = await tx.linked(DocumentFolder, folderId, 'share');
      requireThat(can.manageProject(tx.viewer, folder.project.id));
      const fields = { project: folder.project, folder, title, audience: input.audience, author: tx.viewer.userId };
      const document = tx.em.create(ProjectDocument, fields as never);
      const [file] = await attachFiles(tx, [fileId], FileSubjectType.ProjectDocument, document, folder.project, 'fileId');
      tx.audit(AuditAction.ProjectDocumentAdd, document, folder.project.id, created({ ...fields, author: undefined, file }));
      return document;
    });
  },
};
