import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from './node';
import { DateTimeScalar } from '../core/scalars';
import { User } from './identity.entity';
import { Project } from './project.entity';

export enum UpdateAudience {
  INVESTORS = 'INVESTORS',
  PARTNERS = 'PARTNERS',
  STAKEHOLDERS = 'STAKEHOLDERS',
}
registerEnumType(UpdateAudience, {
  name: 'UpdateAudience',
  description: 'Who besides the operator reads a project update.',
  valuesConfig: {
    INVESTORS: { description: 'The project\'s investors.' },
    PARTNERS: { description: 'The project\'s partners.' },
    STAKEHOLDERS: { description: 'Investors and partners.' },
  },
});

@ObjectType({ implements: Node, description: 'A progress update the operator posts on a project.' })
@Entity({ tableName: 'project_update' })
export class ProjectUpdate extends BaseEntity {
  @Index()
  @ManyToOne(() => Project, { deleteRule: 'restrict' })
  project!: Project;

  @Index()
  @ManyToOne(() => User, { deleteRule: 'restrict' })
  author!: User;

  @Field({ description: 'Title.' })
  @Property({ length: 200 })
  title!: string;

  @Field({ description: 'Body (markdown).' })
  @Property({ type: 'text' })
  body!: string;

  @Field(() => UpdateAudience, { description: 'Who reads it.' })
  @Index()
  @Enum({ items: () => UpdateAudience, nativeEnumName: 'update_audience' })
  audience!: UpdateAudience;

  @Field(() => DateTimeScalar, { description: 'When it was published.' })
  @Index()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  publishedAt: Date = new Date();
}
