import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { UserError } from '../../core/user-error';
import { payloadOf } from '../../write/payloads';
import { DocumentFolder, File, ProjectDocument } from '../../model/file.entity';
import { UpdateAudience } from '../../model/update.entity';

@InputType({ description: 'Attaches uploaded files to a contract, a risk, a project update (its author) or a DRAFT financial report (its pack).' })
export class AttachFilesInput {
  @Field(() => ID, { description: 'Id of the Contract, Risk, ProjectUpdate or FinancialReport (DRAFT only: a published report\'s files are fixed like its figures).' })
  subjectId!: string;

  @Field(() => [ID], { description: 'Ids of your PENDING uploads (POST /files), 1–20.' })
  fileIds!: string[];
}

@ObjectType('AttachFilesPayload', { description: 'Result of attachFiles.' })
export class AttachFilesPayload {
  @Field(() => [File], { nullable: true, description: 'The files attached; null when it failed.' })
  files!: File[] | null;

  @Field(() => [UserError], { description: 'Expected failures (validation, invalid transition); empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'A new folder of a project\'s document room.' })
export class CreateDocumentFolderInput {
  @Field(() => ID, { description: 'Id of the project.' })
  projectId!: string;

  @Field({ description: 'Name, 1–200 characters.' })
  name!: string;
}

export const CreateDocumentFolderPayload = payloadOf(DocumentFolder, 'documentFolder', 'CreateDocumentFolderPayload', 'Result of createDocumentFolder.');

@InputType({ description: 'A new document in a folder of the document room: one uploaded file, for an audience.' })
export class AddProjectDocumentInput {
  @Field(() => ID, { description: 'Id of the folder.' })
  folderId!: string;

  @Field({ description: 'Title, 1–200 characters.' })
  title!: string;

  @Field(() => UpdateAudience, { description: 'Who besides the operator reads it (as for project updates).' })
  audience!: UpdateAudience;

  @Field(() => ID, { description: 'Id of your PENDING upload (POST /files).' })
  fileId!: string;
}

export const AddProjectDocumentPayload = payloadOf(ProjectDocument, 'document', 'AddProjectDocumentPayload', 'Result of addProjectDocument.');
