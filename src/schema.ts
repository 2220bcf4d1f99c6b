/**
 * The GraphQL schema: every resolver, the scalars, validation on, and the
 * fail-closed root access guard.
 */
import 'reflect-metadata';
import { isAbstractType, lexicographicSortSchema, printSchema, type GraphQLSchema, type GraphQLTypeResolver } from 'graphql';
import { buildSchema, getMetadataStorage, type NonEmptyArray, type PubSub } from 'type-graphql';
import { guardRootFields } from './access/access';
import { NodeResolver } from './modules/node/node.resolver';
import { ContractResolver, ProjectContractsResolver } from './modules/contract/contract.resolver';
import { ContractDeliverablesResolver, DeliverableResolver, MilestoneDeliverablesResolver } from './modules/deliverable/deliverable.resolver';
import { FinancialReportLineResolver, FinancialReportResolver, ProjectFinancialReportsResolver } from './modules/financial-report/financial-report.resolver';
import { UserResolver, ViewerResolver } from './modules/identity/identity.resolver';
import { DirectoryResolver } from './modules/identity/identity.directory';
import { InvestmentResolver, ProjectInvestmentsResolver } from './modules/investment/investment.resolver';
import { MilestoneResolver, ProjectMilestonesResolver } from './modules/milestone/milestone.resolver';
import { ProjectResolver } from './modules/project/project.resolver';
import { ProjectRisksResolver, RiskAssessmentResolver, RiskResolver } from './modules/risk/risk.resolver';
import { ProjectUpdateResolver, ProjectUpdatesResolver } from './modules/update/update.resolver';
import { dashboardResolvers } from './modules/dashboard/dashboard.resolver';
import { auditResolvers } from './modules/audit/audit.resolver';
import { ContractMutations } from './modules/contract/contract.mutations';
import { DeliverableMutations } from './modules/deliverable/deliverable.mutations';
import { FinancialReportMutations } from './modules/financial-report/financial-report.mutations';
import { IdentityMutations } from './modules/identity/identity.mutations';
import { InvestmentMutations } from './modules/investment/investment.mutations';
import { MilestoneMutations } from './modules/milestone/milestone.mutations';
import { ProjectMutations } from './modules/project/project.mutations';
import { RiskMutations } from './modules/risk/risk.mutations';
import { ProjectUpdateMutations } from './modules/update/update.mutations';
import { conversationResolvers } from './modules/conversation/conversation.resolver';
import { ConversationMutations } from './modules/conversation/conversation.mutations';
import { ContractActionsResolver } from './modules/contract/contract.actions';
import { DeliverableActionsResolver } from './modules/deliverable/deliverable.actions';
import {
  DeliverableReviewResolver, DeliverableRoundsResolver, DeliverableSubmissionResolver, ReviewQueueResolver,
} from './modules/deliverable/deliverable-rounds.resolver';
import { FinancialReportActionsResolver } from './modules/financial-report/financial-report.actions';
import { RiskActionsResolver } from './modules/risk/risk.actions';
import { QaThreadActionsResolver } from './modules/conversation/conversation.actions';
import { NotificationResolver, ViewerNotificationsResolver } from './modules/notification/notification.resolver';
import { NotificationMutations } from './modules/notification/notification.mutations';
import { webhookResolvers } from './modules/notify/webhook.resolver';
import { emailResolvers } from './modules/notify/email.resolver';
import { LiveResolver } from './modules/live/live.resolver';
import { filesResolvers } from './modules/files/files.resolver';
import { FilesMutations } from './modules/files/files.mutations';
import { exportResolvers } from './modules/export/export.mutations';

export const resolvers: NonEmptyArray<Function> = [
  NodeResolver,
  ViewerResolver,
  UserResolver,
  DirectoryResolver,
  ProjectResolver,
  InvestmentResolver,
  ProjectInvestmentsResolver,
  MilestoneResolver,
  ProjectMilestonesResolver,
  ContractResolver,
  ProjectContractsResolver,
  DeliverableResolver,
  ContractDeliverablesResolver,
  MilestoneDeliverablesResolver,
  DeliverableRoundsResolver,
  DeliverableSubmissionResolver,
  DeliverableReviewResolver,
  ReviewQueueResolver,
  FinancialReportResolver,
  FinancialReportLineResolver,
  ProjectFinancialReportsResolver,
  RiskResolver,
  RiskAssessmentResolver,
  ProjectRisksResolver,
  ProjectUpdateResolver,
  ProjectUpdatesResolver,
  ...dashboardResolvers,
  ...auditResolvers,
  ...conversationResolvers,
  ProjectMutations,
  InvestmentMutations,
  MilestoneMutations,
  ContractMutations,
  DeliverableMutations,
  FinancialReportMutations,
  RiskMutations,
  ProjectUpdateMutations,
  ConversationMutations,
  ...filesResolvers,
  FilesMutations,
  IdentityMutations,
  ContractActionsResolver,
  DeliverableActionsResolver,
  FinancialReportActionsResolver,
  RiskActionsResolver,
  QaThreadActionsResolver,
  ViewerNotificationsResolver,
  NotificationResolver,
  NotificationMutations,
  ...webhookResolvers,
  ...emailResolvers,
  LiveResolver,
  ...exportResolvers,
];

let built: GraphQLSchema | null = null;

/**
 * type-graphql requires a PubSub as soon as there is a subscription, even
 * when every one declares its own `subscribe` (ours do: src/access/live.ts
 * reads each message for its subscriber). Topics are never used.
 */
const noTopics: PubSub = {
  publish() {
    throw new Error('subscriptions declare their own subscribe function; topics are not used');
  },
  subscribe() {
    throw new Error('subscriptions declare their own subscribe function; topics are not used');
  },
};

/**
 * Plain fields (a stored property, read as is) resolve with graphql-js's
 * default resolver instead of type-graphql's per-field wrapper, which builds
 * a resolver-data object and a call chain for every field of every object
 * (a measurable share of the CPU on large responses). Fields exposed under
 * another name (`id` is the `globalId` getter) or with middlewares keep it.
 */
function plainFieldsResolveDirectly(): void {
  for (const field of getMetadataStorage().fields) {
    if (field.simple === undefined && field.name === field.schemaName && !field.middlewares?.length && !field.roles?.length) field.simple = true;
  }
}

/**
 * type-graphql wraps every declared `resolveType` in an async function, so
 * each object returned through an interface or a union costs a promise, and
 * graphql-jit (the compiled executor, src/http/executor.ts) does not accept a
 * promise there at all. The declared resolvers return the type name
 * synchronously: they are installed as they are, and one that does not is
 * an error at its first use rather than a wrong answer.
 */
function synchronousTypeResolvers(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  for (const declared of [...storage.interfaceTypes, ...storage.unions]) {
    const type = schema.getType(declared.name);
    const resolveType = declared.resolveType as GraphQLTypeResolver<unknown, unknown> | undefined;
    if (!type || !isAbstractType(type) || !resolveType) continue;
    type.resolveType = (value, context, info, abstractType) => {
      const name = resolveType(value, context, info, abstractType);
      if (typeof name !== 'string') throw new Error(`${declared.name}.resolveType must return an object type's name, synchronously`);
      return name;
    };
  }
}

export async function createSchema(): Promise<GraphQLSchema> {
  if (!built) {
    plainFieldsResolveDirectly();
    // Root access is checked by wrapping the root resolvers (src/access/access.ts), not as a global middleware.
    built = guardRootFields(await buildSchema({
      resolvers,
      pubSub: noTopics,
      validate: { forbidUnknownValues: false },
      emitSchemaFile: false,
    }));
    synchronousTypeResolvers(built);
    // type-graphql offers no option for the root types' descriptions; they are part of the API's documentation.
    const query = built.getQueryType();
    const mutation = built.getMutationType();
    if (query) query.description = 'Entry points for reading: the viewer, objects by id, and the projects the viewer may see.';
    if (mutation) mutation.description = 'Every change, one input and one payload each; each mutation is one audited transaction.';
    const subscription = built.getSubscriptionType();
    if (subscription) subscription.description = 'Live updates over WebSocket at /graphql (graphql-transport-ws): each message is read as the subscriber sees it at that moment.';
  }
  return built;
}

/** The SDL as committed in schema/schema.graphql: sorted, so diffs are stable. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
