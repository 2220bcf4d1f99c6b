import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../access/access';
import { authed, type Context } from '../../access/context';
import { toGlobalId } from '../../core/global-id';
import { connectionOf, ConnectionArgs } from '../../core/pagination';
import { DateTimeScalar } from '../../core/scalars';
import { Contract } from '../../model/contract.entity';
import { Deliverable } from '../../model/deliverable.entity';
import { FinancialReport } from '../../model/financial-report.entity';
import { Organization, User } from '../../model/identity.entity';
import { Investment } from '../../model/investment.entity';
import { Milestone } from '../../model/milestone.entity';
import { Project } from '../../model/project.entity';
import { Risk } from '../../model/risk.entity';
import { ProjectUpdate } from '../../model/update.entity';
import { AuditEvent } from '../../model/audit.entity';
import { AuditEntityType, auditService } from './audit.service';

export const AuditEventConnection = connectionOf(AuditEvent, 'AuditEvent');

@InputType({ description: 'Audit event filter; all given conditions must hold.' })
export class AuditEventFilter {
  @Field(() => ID, { nullable: true, description: 'Events of this project.' })
  projectId?: string | null;

  @Field(() => AuditEntityType, { nullable: true, description: 'Events about objects of this type.' })
  entityType?: AuditEntityType | null;

  @Field(() => ID, { nullable: true, description: 'Events about this object (any type).' })
  entityId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Events caused by this user.' })
  actorId?: string | null;

  @Field(() => String, { nullable: true, description: 'Events of this action, e.g. deliverable.reject.' })
  action?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Events at or after this instant.' })
  from?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Events before this instant.' })
  to?: Date | null;
}

@Resolver(() => AuditEvent)
export class AuditEventResolver {
  @Access('operator')
  @Query(() => AuditEventConnection, {
    description: 'The audit trail, newest first: every change with who, when and before/after. ADMIN: everything; MANAGER: the projects they manage.',
  })
  auditEvents(
    @Args() args: ConnectionArgs,
    @Arg('filter', () => AuditEventFilter, { nullable: true }) filter: AuditEventFilter | null,
    @Ctx() ctx: Context,
  ) {
    return auditService.events(ctx, filter, args);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who made the change.' })
  actor(@Root() e: AuditEvent, @Ctx() ctx: Context) {
    return e.actor ? authed(ctx).reader.byId(User).load(e.actor.id) : null;
  }

  @FieldResolver(() => Project, { nullable: true, description: 'The project the change belongs to (null for organizations and users).' })
  project(@Root() e: AuditEvent, @Ctx() ctx: Context) {
    return e.project ? authed(ctx).reader.byId(Project).load(e.project.id) : null;
  }

  @FieldResolver(() => ID, { description: 'Global id of the changed object (fetch it with node(id:)).' })
  entityId(@Root() e: AuditEvent): string {
    return toGlobalId(e.entityType, e.entityId);
  }
}

const TRAIL = 'The changes of this object, newest first (operators only: empty for everyone else).';

function trail(ctx: Context, entity: { id: string }, args: ConnectionArgs) {
  return auditService.trail(ctx, entity.id, args);
}

// One small resolver per audited type: the field is the same everywhere.
@Resolver(() => Project)
export class ProjectAuditResolver {
  @FieldResolver(() => AuditEventConnection, { description: TRAIL })
  auditTrail(@Root() o: Project, @Args() args: ConnectionArgs, @Ctx() ctx: Context) { return trail(ctx, o, args); }
}

@Resolver(() => Investment)
export class InvestmentAuditResolver {
  @FieldResolver(() => AuditEventConnection, { description: TRAIL })
  auditTrail(@Root() o: Investment, @Args() args: ConnectionArgs, @Ctx() ctx: Context) { return trail(ctx, o, args); }
}

@Resolver(() => Milestone)
export class MilestoneAuditResolver {
  @FieldResolver(() => AuditEventConnection, { description: TRAIL })
  auditTrail(@Root() o: Milestone, @Args() args: ConnectionArgs, @Ctx() ctx: Context) { return trail(ctx, o, args); }
}

@Resolver(() => Contract)
export class ContractAuditResolver {
  @FieldResolver(() => AuditEventConnection, { description: TRAIL })
  auditTrail(@Root() o: Contract, @Args() args: ConnectionArgs, @Ctx() ctx: Context) { return trail(ctx, o, args); }
}

@Resolver(() => Deliverable)
export class DeliverableAuditResolver {
  @FieldResolver(() => AuditEventConnection, { description: TRAIL })
  auditTrail(@Root() o: Deliverable, @Args() args: ConnectionArgs, @Ctx() ctx: Context) { return trail(ctx, o, args); }
}

@Resolver(() => FinancialReport)
export class FinancialReportAuditResolver {
  @FieldResolver(() => AuditEventConnection, { description: TRAIL })
  auditTrail(@Root() o: FinancialReport, @Args() args: ConnectionArgs, @Ctx() ctx: Context) { return trail(ctx, o, args); }
}

@Resolver(() => Risk)
export class RiskAuditResolver {
  @FieldResolver(() => AuditEventConnection, { description: TRAIL })
  auditTrail(@Root() o: Risk, @Args() args: ConnectionArgs, @Ctx() ctx: Context) { return trail(ctx, o, args); }
}

@Resolver(() => ProjectUpdate)
export class ProjectUpdateAuditResolver {
  @FieldResolver(() => AuditEventConnection, { description: TRAIL })
  auditTrail(@Root() o: ProjectUpdate, @Args() args: ConnectionArgs, @Ctx() ctx: Context) { return trail(ctx, o, args); }
}

@Resolver(() => Organization)
export class OrganizationAuditResolver {
  @FieldResolver(() => AuditEventConnection, { description: TRAIL })
  auditTrail(@Root() o: Organization, @Args() args: ConnectionArgs, @Ctx() ctx: Context) { return trail(ctx, o, args); }
}

@Resolver(() => User)
export class UserAuditResolver {
  @FieldResolver(() => AuditEventConnection, { description: TRAIL })
  auditTrail(@Root() o: User, @Args() args: ConnectionArgs, @Ctx() ctx: Context) { return trail(ctx, o, args); }
}

export const auditResolvers = [
  AuditEventResolver,
  ProjectAuditResolver,
  InvestmentAuditResolver,
  MilestoneAuditResolver,
  ContractAuditResolver,
  DeliverableAuditResolver,
  FinancialReportAuditResolver,
  RiskAuditResolver,
  ProjectUpdateAuditResolver,
  OrganizationAuditResolver,
  UserAuditResolver,
] as const;
