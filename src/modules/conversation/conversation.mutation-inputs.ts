import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { payloadOf, targetInputOf } from '../../write/payloads';
import { UserError } from '../../core/user-error';
import { QaMessage, QaThread } from '../../model/thread.entity';
import { ReportAcknowledgement } from '../../model/acknowledgement.entity';
import { FinancialReport } from '../../model/financial-report.entity';
import { User } from '../../model/identity.entity';

@InputType({ description: 'A question about an object you can see; you and your organization are the askers.' })
export class AskQuestionInput {
  @Field(() => ID, { description: 'Id of a FinancialReport, Risk, Deliverable, Milestone or ProjectUpdate.' })
  subjectId!: string;

  @Field({ description: 'Title, 1–200 characters.' })
  title!: string;

  @Field({ description: 'The question (markdown), 1–20000 characters.' })
  body!: string;

  @Field({ description: 'True: only your organization and the operator staff of the project see the thread, until the operator publishes it.' })
  private!: boolean;
}

@InputType({ description: 'An answer or a follow-up in a thread.' })
export class PostMessageInput {
  @Field(() => ID, { description: 'Id of the thread.' })
  threadId!: string;

  @Field({ description: 'Body (markdown), 1–20000 characters.' })
  body!: string;

  @Field(() => [ID], { nullable: true, description: 'Users mentioned: each an ADMIN or a MANAGER of the thread\'s project (at most 20).' })
  mentionIds?: string[] | null;
}

export const PublishThreadInput = targetInputOf('PublishThreadInput', 'QaThread', 'Publishes a private thread to everyone who sees its object.');
export type PublishThreadInput = InstanceType<typeof PublishThreadInput>;
export const CloseThreadInput = targetInputOf('CloseThreadInput', 'QaThread', 'Closes a thread: no further messages.');
export type CloseThreadInput = InstanceType<typeof CloseThreadInput>;

/** `{ id }` of a report revision, one input type per mutation. */
function reportRevisionInputOf(name: string, description: string) {
  @InputType(name, { description })
  class ReportRevisionInput {
    @Field(() => ID, { description: 'Id of the FinancialReport (one revision).' })
    id!: string;
  }
  return ReportRevisionInput;
}
export interface ReportRevisionInput { id: string }
export const MarkReportOpenedInput = reportRevisionInputOf('MarkReportOpenedInput', 'The report revision you opened.');
export const AcknowledgeReportInput = reportRevisionInputOf('AcknowledgeReportInput', 'The PUBLISHED report revision you acknowledge.');
export const RemindReportInput = reportRevisionInputOf('RemindReportInput', 'The PUBLISHED report revision whose readers are reminded.');

export const AskQuestionPayload = payloadOf(QaThread, 'thread', 'AskQuestionPayload', 'Result of askQuestion.');
export const PostMessagePayload = payloadOf(QaMessage, 'message', 'PostMessagePayload', 'Result of postMessage.');
export const PublishThreadPayload = payloadOf(QaThread, 'thread', 'PublishThreadPayload', 'Result of publishThread.');
export const CloseThreadPayload = payloadOf(QaThread, 'thread', 'CloseThreadPayload', 'Result of closeThread.');
export const MarkReportOpenedPayload = payloadOf(ReportAcknowledgement, 'acknowledgement', 'MarkReportOpenedPayload', 'Result of markReportOpened.');
export const AcknowledgeReportPayload = payloadOf(ReportAcknowledgement, 'acknowledgement', 'AcknowledgeReportPayload', 'Result of acknowledgeReport.');

@ObjectType('RemindReportPayload', { description: 'Result of remindReport.' })
export class RemindReportPayload {
  @Field(() => FinancialReport, { nullable: true, description: 'The report; null when the mutation failed.' })
  report!: FinancialReport | null;

  @Field(() => [User], { description: 'The investor users reminded: those who may read the report and have not acknowledged it.' })
  reminded!: User[];

  @Field(() => [UserError], { description: 'Expected failures; empty on success.' })
  userErrors!: UserError[];
}
