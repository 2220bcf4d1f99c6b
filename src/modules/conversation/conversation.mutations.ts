import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../access/access';
import { can } from '../../access/policy';
import { authed, type Context } from '../../access/context';
import {
  AcknowledgeReportPayload, AskQuestionInput, AskQuestionPayload, CloseThreadInput, CloseThreadPayload, MarkReportOpenedPayload,
  PostMessageInput, PostMessagePayload, PublishThreadInput, PublishThreadPayload, RemindReportPayload, type ReportRevisionInput,
  AcknowledgeReportInput, MarkReportOpenedInput, RemindReportInput,
} from './conversation.mutation-inputs';
import { conversationService } from './conversation.service';

/** FORBIDDEN messages of the role gates below. */
const ASK = 'Only investors and partners ask questions; the operator answers them';
const OPERATE = 'Only the operator\'s administrators and project managers can publish, close or remind';
const CONVERSE = 'Only the operator\'s staff, investors and partners write in Q&A threads';
const READ = 'Only investor users open and acknowledge reports';

@Resolver()
export class ConversationMutations {
  @Access(can.ask, ASK)
  @Mutation(() => AskQuestionPayload, { description: 'Asks a question about a report, risk, deliverable, milestone or project update you can see.' })
  askQuestion(@Arg('input', () => AskQuestionInput) input: AskQuestionInput, @Ctx() ctx: Context) {
    return conversationService.ask(ctx, authed(ctx).viewer, input);
  }

  @Access(can.converse, CONVERSE)
  @Mutation(() => PostMessagePayload, { description: 'Answers (operator staff of the project) or follows up (the asking organization) in a thread that is not closed.' })
  postMessage(@Arg('input', () => PostMessageInput) input: PostMessageInput, @Ctx() ctx: Context) {
    return conversationService.post(ctx, authed(ctx).viewer, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => PublishThreadPayload, { description: 'Makes an answered private thread visible to everyone who sees its object (ADMIN, or a MANAGER of the project).' })
  publishThread(@Arg('input', () => PublishThreadInput) input: PublishThreadInput, @Ctx() ctx: Context) {
    return conversationService.publish(ctx, input);
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => CloseThreadPayload, { description: 'Closes a thread (ADMIN, or a MANAGER of the project).' })
  closeThread(@Arg('input', () => CloseThreadInput) input: CloseThreadInput, @Ctx() ctx: Context) {
    return conversationService.close(ctx, input);
  }

  @Access(can.readReports, READ)
  @Mutation(() => MarkReportOpenedPayload, { description: 'Records that you opened a report revision (the portal calls it when it shows the report); the first opening is kept.' })
  markReportOpened(@Arg('input', () => MarkReportOpenedInput) input: ReportRevisionInput, @Ctx() ctx: Context) {
    return conversationService.readReport(ctx, authed(ctx).viewer, input, 'open');
  }

  @Access(can.readReports, READ)
  @Mutation(() => AcknowledgeReportPayload, { description: 'Acknowledges a PUBLISHED report revision; a restatement is a new revision to acknowledge again.' })
  acknowledgeReport(@Arg('input', () => AcknowledgeReportInput) input: ReportRevisionInput, @Ctx() ctx: Context) {
    return conversationService.readReport(ctx, authed(ctx).viewer, input, 'acknowledge');
  }

  @Access(can.operate, OPERATE)
  @Mutation(() => RemindReportPayload, { description: 'Records a reminder to the investor users of the project who have not acknowledged this PUBLISHED revision, and lists them.' })
  async remindReport(@Arg('input', () => RemindReportInput) input: ReportRevisionInput, @Ctx() ctx: Context) {
    const result = await conversationService.remind(ctx, input);
    return { report: result.object?.report ?? null, reminded: result.object?.reminded ?? [], userErrors: result.userErrors };
  }
}
