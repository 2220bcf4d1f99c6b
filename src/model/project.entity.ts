import { Check, Collection, Entity, Enum, Index, ManyToMany, ManyToOne, PrimaryKeyProp, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from './node';
import { LocalDateScalar } from '../core/scalars';
import { User } from './identity.entity';

export enum ProjectStatus {
  PLANNED = 'PLANNED',
  ACTIVE = 'ACTIVE',
  ON_HOLD = 'ON_HOLD',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ProjectStatus, { name: 'ProjectStatus', description: 'Where a project stands.' });

@ObjectType({ implements: Node, description: 'An IT project the operator runs, funded by investors and delivered partly by partners.' })
@Check({ name: 'project_budget_non_negative', expression: 'budget >= 0' })
@Check({ name: 'project_dates_ordered', expression: 'target_end_date >= start_date' })
@Check({ name: 'project_currency_format', expression: "currency ~ '^[A-Z]{3}$'" })
@Entity({ tableName: 'project' })
export class Project extends BaseEntity {
  @Field({ description: 'Unique human-readable code, e.g. PRJ-2024-01.' })
  @Unique({ name: 'project_code_unique' })
  @Property({ length: 40 })
  code!: string;

  @Field({ description: 'Project name.' })
  @Property({ length: 200 })
  name!: string;

  @Field({ description: 'What the project delivers (markdown).' })
  @Property({ type: 'text', default: '' })
  description: string = '';

  @Field(() => ProjectStatus, { description: 'Where the project stands.' })
  @Index()
  @Enum({ items: () => ProjectStatus, nativeEnumName: 'project_status' })
  status: ProjectStatus = ProjectStatus.PLANNED;

  @Field({ description: 'ISO 4217 currency code of every amount in this project.' })
  @Property({ length: 3, columnType: 'char(3)' })
  currency!: string;

  /** Exposed by a field resolver: partners may not read it. */
  @Property({ type: 'decimal', precision: 18, scale: 2 })
  budget!: string;

  @Field(() => LocalDateScalar, { description: 'Start date.' })
  @Property({ type: 'date' })
  startDate!: string;

  @Field(() => LocalDateScalar, { description: 'Target end date.' })
  @Property({ type: 'date' })
  targetEndDate!: string;

  @ManyToMany({ entity: () => User, pivotEntity: () => ProjectManager })
  managers = new Collection<User>(this);
}

/** Which operator users manage which project (MANAGER scope). */
@Entity({ tableName: 'project_manager' })
@Index({ name: 'project_manager_user_id_index', properties: ['user'] })
export class ProjectManager {
  [PrimaryKeyProp]?: ['project', 'user'];

  @ManyToOne(() => Project, { primary: true, deleteRule: 'cascade' })
  project!: Project;

  @ManyToOne(() => User, { primary: true, deleteRule: 'cascade' })
  user!: User;
}
