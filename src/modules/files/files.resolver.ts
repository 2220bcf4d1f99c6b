/**
 * File fields, and the fields files add to the objects they attach to (each
 * a list of the visible files of that object, oldest first), plus the
 * document room (Project.documentFolders → DocumentFolder.documents).
 */
import { Ctx, FieldResolver, Int, Resolver, Root, type ClassType } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { signFileUrl } from '../../access/file-url';
import { Contract } from '../../model/contract.entity';
import { DeliverableSubmission } from '../../model/deliverable.entity';
import { DocumentFolder, File, ProjectDocument } from '../../model/file.entity';
import { FinancialReport } from '../../model/financial-report.entity';
import { User } from '../../model/identity.entity';
import { Project } from '../../model/project.entity';
import { Risk } from '../../model/risk.entity';
import { ProjectUpdate } from '../../model/update.entity';

@Resolver(() => File)
export class FileResolver {
  @FieldResolver(() => Int, { description: 'Size in bytes.' })
  size(@Root() f: File): number {
    return Number(f.size);
  }

  @FieldResolver(() => String, {
    description: 'A download URL (path and query) signed for the viewer, valid for a few minutes (FILE_URL_TTL_SECONDS); '
      + 'the download checks again that the viewer may see the file. Ask for a new one rather than storing it.',
  })
  url(@Root() f: File, @Ctx() ctx: Context): string {
    const { viewer } = authed(ctx);
    return signFileUrl(ctx.config.files, f.globalId, f.id, viewer.userId).url;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who uploaded it (null when the viewer may not see that user).' })
  uploadedBy(@Root() f: File, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(User).load(f.uploadedBy.id);
  }
}

type Key = 'submission' | 'report' | 'contract' | 'update' | 'risk';

/** `<Parent>.files`: the visible files attached to it, oldest first. */
function filesOn<P extends { id: string }>(parent: ClassType<P>, key: Key, what: string) {
  @Resolver(() => parent)
  class ParentFilesResolver {
    @FieldResolver(() => [File], { description: `Files attached to this ${what}, oldest first.` })
    files(@Root() p: P, @Ctx() ctx: Context) {
      return authed(ctx).reader.childrenOf(File, key, { sort: 'createdAt' }, '').load(p.id);
    }
  }
  Object.defineProperty(ParentFilesResolver, 'name', { value: `${parent.name}FilesResolver` });
  return ParentFilesResolver;
}

@Resolver(() => ProjectDocument)
export class ProjectDocumentResolver {
  @FieldResolver(() => File, { nullable: true, description: 'The document\'s file.' })
  async file(@Root() d: ProjectDocument, @Ctx() ctx: Context) {
    const [file] = await authed(ctx).reader.childrenOf(File, 'document', { sort: 'createdAt' }, '').load(d.id);
    return file ?? null;
  }

  @FieldResolver(() => DocumentFolder, { nullable: true, description: 'The folder it is in.' })
  folder(@Root() d: ProjectDocument, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(DocumentFolder).load(d.folder.id);
  }
}

@Resolver(() => DocumentFolder)
export class DocumentFolderResolver {
  @FieldResolver(() => [ProjectDocument], { description: 'The documents of this folder the viewer\'s audience reads, by title.' })
  documents(@Root() f: DocumentFolder, @Ctx() ctx: Context) {
    return authed(ctx).reader.childrenOf(ProjectDocument, 'folder', { sort: 'title' }, '').load(f.id);
  }

  @FieldResolver(() => Project, { nullable: true, description: 'The project.' })
  project(@Root() f: DocumentFolder, @Ctx() ctx: Context) {
    return authed(ctx).reader.byId(Project).load(f.project.id);
  }
}

@Resolver(() => Project)
export class ProjectDocumentRoomResolver {
  @FieldResolver(() => [DocumentFolder], { description: 'The folders of the project\'s document room, by name.' })
  documentFolders(@Root() p: Project, @Ctx() ctx: Context) {
    return authed(ctx).reader.childrenOf(DocumentFolder, 'project', { sort: 'name' }, '').load(p.id);
  }
}

export const filesResolvers = [
  FileResolver,
  filesOn(DeliverableSubmission, 'submission', 'submission round'),
  filesOn(FinancialReport, 'report', 'report (its pack)'),
  filesOn(Contract, 'contract', 'contract'),
  filesOn(ProjectUpdate, 'update', 'update'),
  filesOn(Risk, 'risk', 'risk'),
  ProjectDocumentResolver,
  DocumentFolderResolver,
  ProjectDocumentRoomResolver,
];
