import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../../access/context';
import { actionEnum, availableActions } from '../../write/actions';
import { QaThread } from '../../model/thread.entity';
import { threadMachine, threadMay } from './conversation.transitions';

export const ThreadActionType = actionEnum(threadMachine, 'QaThreadAction', 'A move in the Q&A thread state machine, as offered by QaThread.availableActions.', {
  answer: 'postMessage as operator staff of the project: OPEN or ANSWERED → ANSWERED.',
  followUp: 'postMessage as a member of the asking organization: OPEN or ANSWERED → OPEN.',
  close: 'closeThread: OPEN or ANSWERED → CLOSED (final). Operator staff of the project.',
  publish: 'publishThread: share a private thread with everyone who sees its object (ANSWERED or CLOSED). Operator staff of the project.',
});

@Resolver(() => QaThread)
export class QaThreadActionsResolver {
  @FieldResolver(() => [ThreadActionType.enum], {
    description: 'What the viewer may do next on this thread: the moves its status allows that the viewer is entitled to, in the state machine\'s order. '
      + 'PUBLISH is offered on private threads only.',
  })
  availableActions(@Root() t: QaThread, @Ctx() ctx: Context): string[] {
    const actions = availableActions(threadMachine, threadMay, authed(ctx).viewer, t).filter((a) => a !== 'publish' || t.isPrivate);
    return ThreadActionType.of(actions);
  }
}
