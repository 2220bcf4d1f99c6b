import { Field, InputType } from 'type-graphql';
import { listSpec, oneOf } from '../../access/listing';
import { OrderDirection } from '../../core/pagination';
import { ProjectUpdate, UpdateAudience } from '../../model/update.entity';

@InputType({ description: 'Project update filter.' })
export class UpdateFilter {
  @Field(() => [UpdateAudience], { nullable: true, description: 'Any of these audiences (among those you may see).' })
  audience?: UpdateAudience[] | null;
}

/** Newest first. */
export function updateSpec(filter?: UpdateFilter | null) {
  return listSpec<ProjectUpdate, 'PUBLISHED_AT'>(oneOf('audience', filter?.audience), null, { PUBLISHED_AT: 'publishedAt' }, { field: 'PUBLISHED_AT', direction: OrderDirection.DESC }, filter);
}
