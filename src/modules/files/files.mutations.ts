import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../access/access';
import { can } from '../../access/policy';
import type { Context } from '../../access/context';
import {
  AddProjectDocumentInput, AddProjectDocumentPayload, AttachFilesInput, AttachFilesPayload, CreateDocumentFolderInput, CreateDocumentFolderPayload,
} from './files.mutation-inputs';
import { filesService } from './files.service';

const OPERATE = 'Only the operator\'s administrators and project managers attach files to contracts, risks, updates and reports, and keep the document room';

@Resolver()
export class FilesMutations {
  @Access(can.operate, OPERATE)
  @Mutation(() => AttachFilesPayload, {
    description: 'Attaches your uploaded files (POST /files) to a contract, risk, your own project update, or a DRAFT financial report (its pack); '
      + 'from then on they are visible exactly when that object is.',
  })
  async attachFiles(@Arg('input', () => AttachFilesInput) input: AttachFilesInput, @Ctx() ctx: Context) {
    const { object, userErrors } = await filesService.attach(ctx, input);
    return { files: object, userErrors };
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => CreateDocumentFolderPayload, { description: 'Creates a folder in a project\'s document room (ADMIN, or a MANAGER of the project).' })
  createDocumentFolder(@Arg('input', () => CreateDocumentFolderInput) input: CreateDocumentFolderInput, @Ctx() ctx: Context) {
    return filesService.createFolder(ctx, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => AddProjectDocumentPayload, { description: 'Adds a document (one uploaded file, with an audience) to a folder of the document room.' })
  addProjectDocument(@Arg('input', () => AddProjectDocumentInput) input: AddProjectDocumentInput, @Ctx() ctx: Context) {
    return filesService.addDocument(ctx, input);
  }
}
