import { Field, ID, InputType, Int } from 'type-graphql';
import { payloadOf } from '../../write/payloads';
import { ProjectUpdate, UpdateAudience } from '../../model/update.entity';

@InputType({ description: 'A progress update on a project, published at once, with the viewer as author.' })
export class PostProjectUpdateInput {
  @Field(() => ID, { description: 'Id of the project.' })
  projectId!: string;

  @Field({ description: 'Title, 1–200 characters.' })
  title!: string;

  @Field({ description: 'Body (markdown), 1–20000 characters.' })
  body!: string;

  @Field(() => UpdateAudience, { description: 'Who reads it besides the operator.' })
  audience!: UpdateAudience;
}

@InputType({ description: 'Changes to one of your own project updates; omitted fields stay as they are.' })
export class EditProjectUpdateInput {
  @Field(() => ID, { description: 'Id of the update.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read; a stale version is a VERSION_CONFLICT and nothing is written.' })
  version!: number;

  @Field(() => String, { nullable: true, description: 'Title, 1–200 characters.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'Body (markdown), 1–20000 characters.' })
  body?: string | null;

  @Field(() => UpdateAudience, { nullable: true, description: 'Who reads it besides the operator.' })
  audience?: UpdateAudience | null;
}

export const PostProjectUpdatePayload = payloadOf(ProjectUpdate, 'projectUpdate', 'PostProjectUpdatePayload', 'Result of postProjectUpdate.');
export const EditProjectUpdatePayload = payloadOf(ProjectUpdate, 'projectUpdate', 'EditProjectUpdatePayload', 'Result of editProjectUpdate.');
