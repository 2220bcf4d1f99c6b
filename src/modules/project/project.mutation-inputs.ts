import { Field, ID, InputType, Int } from 'type-graphql';
import { payloadOf } from '../../write/payloads';
import { DecimalScalar, LocalDateScalar } from '../../core/scalars';
import { Project, ProjectStatus } from '../../model/project.entity';

@InputType({ description: 'A new project (ADMIN). It starts PLANNED, without managers.' })
export class CreateProjectInput {
  @Field({ description: 'Unique code: 2–40 capital letters, digits and hyphens, e.g. PRJ-2026-02.' })
  code!: string;

  @Field({ description: 'Name, 1–200 characters.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the project delivers (markdown, at most 20000 characters).' })
  description?: string | null;

  @Field({ description: 'ISO 4217 currency code of every amount in the project, e.g. EUR.' })
  currency!: string;

  @Field(() => DecimalScalar, { description: 'Total budget.' })
  budget!: string;

  @Field(() => LocalDateScalar, { description: 'Start date.' })
  startDate!: string;

  @Field(() => LocalDateScalar, { description: 'Target end date, on or after the start date.' })
  targetEndDate!: string;
}

@InputType({ description: 'Changes to a project; omitted fields stay as they are.' })
export class UpdateProjectInput {
  @Field(() => ID, { description: 'Id of the project.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read; a stale version is a VERSION_CONFLICT and nothing is written.' })
  version!: number;

  @Field(() => String, { nullable: true, description: 'Name, 1–200 characters.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Description (markdown, at most 20000 characters).' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 4217 currency code; only while no investment, contract or financial report records an amount.' })
  currency?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Total budget.' })
  budget?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Start date, on or before every due date of the project\'s milestones that are not CANCELLED.' })
  startDate?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Target end date, on or after the start date and every due date of the project\'s milestones that are not CANCELLED.' })
  targetEndDate?: string | null;
}

@InputType({ description: 'A project status change: PLANNED → ACTIVE ⇄ ON_HOLD; ACTIVE → COMPLETED; PLANNED, ACTIVE or ON_HOLD → CANCELLED.' })
export class ChangeProjectStatusInput {
  @Field(() => ID, { description: 'Id of the project.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read.' })
  version!: number;

  @Field(() => ProjectStatus, { description: 'The new status.' })
  status!: ProjectStatus;
}

@InputType({ description: 'The complete list of a project\'s managers (ADMIN): operator users with role ADMIN or MANAGER.' })
export class AssignProjectManagersInput {
  @Field(() => ID, { description: 'Id of the project.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read.' })
  version!: number;

  @Field(() => [ID], { description: 'Ids of the users who manage the project from now on (at most 20); users left out stop managing it.' })
  managerIds!: string[];
}

export const CreateProjectPayload = payloadOf(Project, 'project', 'CreateProjectPayload', 'Result of createProject.');
export const UpdateProjectPayload = payloadOf(Project, 'project', 'UpdateProjectPayload', 'Result of updateProject.');
export const ChangeProjectStatusPayload = payloadOf(Project, 'project', 'ChangeProjectStatusPayload', 'Result of changeProjectStatus.');
export const AssignProjectManagersPayload = payloadOf(Project, 'project', 'AssignProjectManagersPayload', 'Result of assignProjectManagers.');
