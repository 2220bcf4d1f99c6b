import { Check, Entity, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity, Node } from './node';
import { DecimalScalar, LocalDateScalar } from '../core/scalars';
import { Organization } from './identity.entity';
import { Project } from './project.entity';

@ObjectType({ implements: Node, description: 'Money an investor organization committed to a project.' })
@Check({ name: 'investment_amount_non_negative', expression: 'committed_amount >= 0' })
@Entity({ tableName: 'investment' })
export class Investment extends BaseEntity {
  @Index()
  @ManyToOne(() => Project, { deleteRule: 'restrict' })
  project!: Project;

  @Index()
  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  organization!: Organization;

  @Field(() => DecimalScalar, { description: 'Committed amount, in the project\'s currency.' })
  @Property({ type: 'decimal', precision: 18, scale: 2 })
  committedAmount!: string;

  @Field(() => LocalDateScalar, { description: 'Date of the commitment.' })
  @Property({ type: 'date' })
  committedOn!: string;
}
