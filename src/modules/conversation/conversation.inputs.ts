import { Field, InputType } from 'type-graphql';
import { listSpec, oneOf } from '../../access/listing';
import { OrderDirection } from '../../core/pagination';
import { QaMessage, QaThread, ThreadStatus } from '../../model/thread.entity';
import { ReportAcknowledgement } from '../../model/acknowledgement.entity';

@InputType({ description: 'Q&A thread filter.' })
export class ThreadFilter {
  @Field(() => [ThreadStatus], { nullable: true, description: 'Any of these statuses.' })
  status?: ThreadStatus[] | null;
}

/** Most recently active first. */
export function threadSpec(filter?: ThreadFilter | null) {
  return listSpec<QaThread, 'LAST_MESSAGE_AT'>(oneOf('status', filter?.status), null, { LAST_MESSAGE_AT: 'lastMessageAt' }, { field: 'LAST_MESSAGE_AT', direction: OrderDirection.DESC }, filter);
}

/** Oldest first: a conversation reads top to bottom. */
export function messageSpec() {
  return listSpec<QaMessage, 'CREATED_AT'>({}, null, { CREATED_AT: 'createdAt' }, { field: 'CREATED_AT', direction: OrderDirection.ASC }, null);
}

export function acknowledgementSpec() {
  return listSpec<ReportAcknowledgement, 'CREATED_AT'>({}, null, { CREATED_AT: 'createdAt' }, { field: 'CREATED_AT', direction: OrderDirection.ASC }, null);
}
