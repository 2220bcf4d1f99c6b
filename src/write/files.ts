/**
 * Attaching uploaded files to an object (docs/files.md#attaching), inside the
 * mutation that references them: each id must name a PENDING file of the
 * viewer (anything else visible to nobody but its uploader is NOT_FOUND, like
 * a random id), not yet expired; it is locked, attached to the object and
 * given its project, so from then on it is visible exactly when the object is.
 */
import { LockMode } from '@mikro-orm/core';
import { NotFoundError } from '../core/errors';
import { decodeId } from '../core/global-id';
import { UserErrorCode } from '../core/user-error';
import { File, FileStatus, FileSubjectType } from '../model/file.entity';
import type { Project } from '../model/project.entity';
import { fail } from './checks';
import { AuditAction } from './audit';
import type { Tx } from './transaction';

/** Most files one mutation attaches. */
export const MAX_FILES_PER_OBJECT = 20;

/** The typed key of each kind of object on `File`. */
const KEY: Record<FileSubjectType, 'submission' | 'report' | 'contract' | 'update' | 'risk' | 'document'> = {
  [FileSubjectType.DeliverableSubmission]: 'submission',
  [FileSubjectType.FinancialReport]: 'report',
  [FileSubjectType.Contract]: 'contract',
  [FileSubjectType.ProjectUpdate]: 'update',
  [FileSubjectType.Risk]: 'risk',
  [FileSubjectType.ProjectDocument]: 'document',
};

/** Decodes file ids of an input field (BAD_USER_INPUT when one is not a File id), without duplicates. */
export function fileIdsOf(globalIds: readonly string[] | null | undefined, field: string): string[] {
  const ids = [...new Set((globalIds ?? []).map((g) => decodeId(g, 'File', `input.${field}`)))];
  if (ids.length > MAX_FILES_PER_OBJECT) {
    fail(UserErrorCode.VALIDATION, `${field}: at most ${MAX_FILES_PER_OBJECT} files at once (got ${ids.length})`, field);
  }
  return ids;
}

/** Attaches the viewer's pending files `ids` to `subject` (of `type`, in `project`, the subject's own project reference). */
export async function attachFiles(
  tx: Tx, ids: readonly string[], type: FileSubjectType, subject: { id: string }, project: Project, field: string,
): Promise<File[]> {
  if (!ids.length) return [];
  // Visible to the viewer (through the policy), then locked by id: the rule joins the objects files hang
  // from, and PostgreSQL cannot lock rows on the nullable side of those outer joins.
  const visible = await tx.find(File, { id: { $in: [...ids] } });
  if (visible.length !== ids.length) throw new NotFoundError('File');
  const files = await tx.em.find(File, { id: { $in: visible.map((f) => f.id) } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' }, refresh: true });
  const now = new Date();
  for (const file of files) {
    if (file.status !== FileStatus.PENDING) {
      fail(UserErrorCode.VALIDATION, `${field}: "${file.name}" is already attached to another object; upload it again to attach it here`, field);
    }
    if (file.expiresAt && file.expiresAt.getTime() <= now.getTime()) {
      fail(UserErrorCode.VALIDATION, `${field}: the upload of "${file.name}" has expired; upload it again`, field);
    }
  }
  const ordered = ids.map((id) => files.find((f) => f.id === id)!);
  for (const file of ordered) {
    const changes = tx.apply(file, {
      status: FileStatus.ATTACHED, subjectType: type, subjectId: subject.id, [KEY[type]]: subject, project,
      attachedAt: now, expiresAt: null,
    } as Partial<File>);
    tx.audit(AuditAction.FileAttach, file, project.id, changes);
  }
  return ordered;
}
