import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root, type ClassType } from 'type-graphql';
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

/**
 * The resolver that adds `auditTrail` to one audited type. The field is the
 * same on every type, so one factory makes each class instead of a copy per
 * type; each class still has to be listed in the schema's resolvers, since
 * type-graphql only collects field resolvers of registered classes.
 */
export function auditTrailResolver<T extends { id: string }>(entity: ClassType<T>, typeName: AuditEntityType): ClassType {
  @Resolver(() => entity)
  class AuditTrailResolver {
    @FieldResolver(() => AuditEventConnection, { description: TRAIL })
    auditTrail(@Root() o: T, @Args() args: ConnectionArgs, @Ctx() ctx: Context) {
      return auditService.trail(ctx, o.id, args);
    }
  }
  // A distinct name per type, for stack traces and type-graphql's error messages.
  Object.defineProperty(AuditTrailResolver, 'name', { value: `${typeName}AuditResolver` });
  return AuditTrailResolver;
}

export const auditResolvers = [
  AuditEventResolver,
  auditTrailResolver(Project, AuditEntityType.PROJECT),
  auditTrailResolver(Investment, AuditEntityType.INVESTMENT),
  auditTrailResolver(Milestone, AuditEntityType.MILESTONE),
  auditTrailResolver(Contract, AuditEntityType.CONTRACT),
  auditTrailResolver(Deliverable, AuditEntityType.DELIVERABLE),
  auditTrailResolver(FinancialReport, AuditEntityType.FINANCIAL_REPORT),
  auditTrailResolver(Risk, AuditEntityType.RISK),
  auditTrailResolver(ProjectUpdate, AuditEntityType.PROJECT_UPDATE),
  auditTrailResolver(Organization, AuditEntityType.ORGANIZATION),
  auditTrailResolver(User, AuditEntityType.USER),
] as const;
