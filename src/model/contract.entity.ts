import { Check, Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from './node';
import { DecimalScalar, LocalDateScalar } from '../core/scalars';
import { Organization } from './identity.entity';
import { Project } from './project.entity';

export enum ContractKind {
  FIXED_PRICE = 'FIXED_PRICE',
  TIME_AND_MATERIALS = 'TIME_AND_MATERIALS',
}
registerEnumType(ContractKind, { name: 'ContractKind', description: 'How a contract is priced.' });

export enum ContractStatus {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  COMPLETED = 'COMPLETED',
  TERMINATED = 'TERMINATED',
}
registerEnumType(ContractStatus, {
  name: 'ContractStatus',
  description: 'DRAFT → ACTIVE ⇄ SUSPENDED; ACTIVE → COMPLETED; ACTIVE|SUSPENDED → TERMINATED. COMPLETED and TERMINATED are final.',
});

@ObjectType({ implements: Node, description: 'A contract between the operator and a partner organization on a project.' })
@Check({ name: 'contract_value_non_negative', expression: 'value >= 0' })
@Check({ name: 'contract_dates_ordered', expression: 'end_date >= start_date' })
@Entity({ tableName: 'contract' })
export class Contract extends BaseEntity {
  @Index()
  @ManyToOne(() => Project, { deleteRule: 'restrict' })
  project!: Project;

  @Index()
  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  counterparty!: Organization;

  @Field({ description: 'Contract reference, e.g. ATL-C-001.' })
  @Property({ length: 60 })
  reference!: string;

  @Field({ description: 'Title.' })
  @Property({ length: 200 })
  title!: string;

  @Field(() => ContractKind, { description: 'How the contract is priced.' })
  @Enum({ items: () => ContractKind, nativeEnumName: 'contract_kind' })
  kind!: ContractKind;

  @Field(() => DecimalScalar, { description: 'Contract value, in the project\'s currency.' })
  @Property({ type: 'decimal', precision: 18, scale: 2 })
  value!: string;

  @Field(() => LocalDateScalar, { description: 'Start date.' })
  @Property({ type: 'date' })
  startDate!: string;

  @Field(() => LocalDateScalar, { description: 'End date.' })
  @Property({ type: 'date' })
  endDate!: string;

  @Field(() => ContractStatus, { description: 'Status in the contract state machine.' })
  @Index()
  @Enum({ items: () => ContractStatus, nativeEnumName: 'contract_status' })
  status: ContractStatus = ContractStatus.DRAFT;

  @Field(() => String, { nullable: true, description: 'Why the contract was terminated.' })
  @Property({ type: 'text', nullable: true })
  terminationReason?: string | null;
}
