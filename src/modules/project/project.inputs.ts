import { Field, InputType, registerEnumType } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { listSpec, oneOf } from '../../access/listing';
import { OrderDirection } from '../../core/pagination';
import { Project, ProjectStatus } from '../../model/project.entity';

export enum ProjectOrderField { CODE = 'CODE', NAME = 'NAME', START_DATE = 'START_DATE', CREATED_AT = 'CREATED_AT' }
registerEnumType(ProjectOrderField, { name: 'ProjectOrderField', description: 'Fields projects can be sorted by.' });

@InputType({ description: 'Project filter; all given conditions must hold.' })
export class ProjectFilter {
  @Field(() => [ProjectStatus], { nullable: true, description: 'Any of these statuses.' })
  status?: ProjectStatus[] | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive text contained in the code or the name.' })
  search?: string | null;
}

@InputType({ description: 'Ordering of projects.' })
export class ProjectOrder {
  @Field(() => ProjectOrderField, { description: 'Field to sort by.' })
  field!: ProjectOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'Direction.' })
  direction!: OrderDirection;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function projectSpec(filter?: ProjectFilter | null, order?: ProjectOrder | null) {
  const f = filter ?? {};
  const where: FilterQuery<Project>[] = [oneOf('status', f.status)];
  if (f.search) where.push({ $or: [{ code: { $ilike: likePattern(f.search) } }, { name: { $ilike: likePattern(f.search) } }] });
  return listSpec<Project, ProjectOrderField>(
    { $and: where },
    order,
    { CODE: 'code', NAME: 'name', START_DATE: 'startDate', CREATED_AT: 'createdAt' },
    { field: ProjectOrderField.CODE, direction: OrderDirection.ASC },
    filter,
  );
}
