import { Field, InputType } from 'type-graphql';
import { listSpec, oneOf } from '../../access/listing';
import { OrderDirection } from '../../core/pagination';
import { Contract, ContractStatus } from '../../model/contract.entity';

@InputType({ description: 'Contract filter.' })
export class ContractFilter {
  @Field(() => [ContractStatus], { nullable: true, description: 'Any of these statuses (among those you may see).' })
  status?: ContractStatus[] | null;
}

export function contractSpec(filter?: ContractFilter | null) {
  return listSpec<Contract, 'REFERENCE'>(oneOf('status', filter?.status), null, { REFERENCE: 'reference' }, { field: 'REFERENCE', direction: OrderDirection.ASC }, filter);
}
