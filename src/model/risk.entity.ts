import { Check, Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity, Node } from './node';
import { DateTimeScalar } from '../core/scalars';
import { Contract } from './contract.entity';
import { User } from './identity.entity';
import { Project } from './project.entity';

export enum RiskCategory {
  TECHNICAL = 'TECHNICAL',
  SCHEDULE = 'SCHEDULE',
  FINANCIAL = 'FINANCIAL',
  VENDOR = 'VENDOR',
  SECURITY = 'SECURITY',
  COMPLIANCE = 'COMPLIANCE',
  OTHER = 'OTHER',
}
registerEnumType(RiskCategory, { name: 'RiskCategory', description: 'What kind of risk it is.' });

export enum RiskStatus {
  OPEN = 'OPEN',
  MITIGATING = 'MITIGATING',
  CLOSED = 'CLOSED',
  REALIZED = 'REALIZED',
}
registerEnumType(RiskStatus, { name: 'RiskStatus', description: 'OPEN → MITIGATING → CLOSED; OPEN|MITIGATING → REALIZED.' });

export enum RiskVisibility {
  INTERNAL = 'INTERNAL',
  CONTRACT = 'CONTRACT',
  INVESTORS = 'INVESTORS',
  STAKEHOLDERS = 'STAKEHOLDERS',
}
registerEnumType(RiskVisibility, {
  name: 'RiskVisibility',
  description: 'Who besides the operator sees a risk.',
  valuesConfig: {
    INTERNAL: { description: 'The operator only.' },
    CONTRACT: { description: 'The operator and the partner holding the risk\'s contract.' },
    INVESTORS: { description: 'The operator and the project\'s investors.' },
    STAKEHOLDERS: { description: 'The operator, the project\'s investors and its partners.' },
  },
});

/** Severity bands of a score (likelihood × impact), as the dashboard counts them (docs/money.md). */
export enum RiskBand {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  CRITICAL = 'CRITICAL',
}

/** LOW 1–4, MEDIUM 5–9, HIGH 10–14, CRITICAL 15–25. */
export function riskBand(score: number): RiskBand {
  if (score >= 15) return RiskBand.CRITICAL;
  if (score >= 10) return RiskBand.HIGH;
  if (score >= 5) return RiskBand.MEDIUM;
  return RiskBand.LOW;
}

/** The words of the 1–5 scales (docs/state-machines.md#risk), index = value − 1. */
export const LIKELIHOOD_LABELS = ['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain'] as const;
export const IMPACT_LABELS = ['Negligible', 'Minor', 'Moderate', 'Major', 'Severe'] as const;

@ObjectType({ implements: Node, description: 'An identified risk of a project, with its assessment history.' })
// Range checks spelled as PostgreSQL stores them (it rewrites `between`), so the entity/migration drift check sees no difference.
@Check({ name: 'risk_likelihood_range', expression: 'likelihood >= 1 and likelihood <= 5' })
@Check({ name: 'risk_impact_range', expression: 'impact >= 1 and impact <= 5' })
@Entity({ tableName: 'risk' })
export class Risk extends BaseEntity {
  @Index()
  @ManyToOne(() => Project, { deleteRule: 'restrict' })
  project!: Project;

  @Index()
  @ManyToOne(() => Contract, { nullable: true, deleteRule: 'restrict' })
  contract?: Contract | null;

  @Field({ description: 'Title.' })
  @Property({ length: 200 })
  title!: string;

  @Field({ description: 'Description (markdown).' })
  @Property({ type: 'text', default: '' })
  description: string = '';

  @Field(() => RiskCategory, { description: 'Category.' })
  @Enum({ items: () => RiskCategory, nativeEnumName: 'risk_category' })
  category!: RiskCategory;

  @Field(() => Int, { description: 'Likelihood, 1 (rare) to 5 (almost certain).' })
  @Property({ type: 'smallint' })
  likelihood!: number;

  @Field(() => Int, { description: 'Impact, 1 (negligible) to 5 (severe).' })
  @Property({ type: 'smallint' })
  impact!: number;

  @Field({ description: 'Likelihood in words: 1 Rare, 2 Unlikely, 3 Possible, 4 Likely, 5 Almost certain.' })
  get likelihoodLabel(): string {
    return LIKELIHOOD_LABELS[this.likelihood - 1];
  }

  @Field({ description: 'Impact in words: 1 Negligible, 2 Minor, 3 Moderate, 4 Major, 5 Severe.' })
  get impactLabel(): string {
    return IMPACT_LABELS[this.impact - 1];
  }

  /** likelihood × impact, computed by PostgreSQL (a generated column) so it can be filtered and sorted on. */
  @Field(() => Int, { description: 'Score = likelihood × impact (1–25).' })
  @Index()
  @Property({ type: 'smallint', generated: '(likelihood * impact) stored', nullable: true })
  score!: number;

  @Index()
  @ManyToOne(() => User, { nullable: true, deleteRule: 'restrict' })
  owner?: User | null;

  @Field({ description: 'How the risk is being handled (markdown).' })
  @Property({ type: 'text', default: '' })
  mitigationPlan: string = '';

  @Field(() => RiskStatus, { description: 'Status.' })
  @Index()
  @Enum({ items: () => RiskStatus, nativeEnumName: 'risk_status' })
  status: RiskStatus = RiskStatus.OPEN;

  @Field(() => RiskVisibility, { description: 'Who besides the operator sees this risk.' })
  @Index()
  @Enum({ items: () => RiskVisibility, nativeEnumName: 'risk_visibility' })
  visibility: RiskVisibility = RiskVisibility.INTERNAL;
}

@ObjectType({ implements: Node, description: 'One assessment of a risk: the history investors read as the trend.' })
// Range checks spelled as PostgreSQL stores them (it rewrites `between`), so the entity/migration drift check sees no difference.
@Check({ name: 'risk_assessment_likelihood_range', expression: 'likelihood >= 1 and likelihood <= 5' })
@Check({ name: 'risk_assessment_impact_range', expression: 'impact >= 1 and impact <= 5' })
@Entity({ tableName: 'risk_assessment' })
export class RiskAssessment extends BaseEntity {
  @Index()
  @ManyToOne(() => Risk, { deleteRule: 'cascade' })
  risk!: Risk;

  @Field(() => Int, { description: 'Likelihood, 1–5.' })
  @Property({ type: 'smallint' })
  likelihood!: number;

  @Field(() => Int, { description: 'Impact, 1–5.' })
  @Property({ type: 'smallint' })
  impact!: number;

  @Field({ description: 'Why the assessment changed.' })
  @Property({ type: 'text', default: '' })
  note: string = '';

  @Index()
  @ManyToOne(() => User, { nullable: true, deleteRule: 'restrict' })
  assessedBy?: User | null;

  @Field(() => DateTimeScalar, { description: 'When it was assessed.' })
  @Index()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  assessedAt: Date = new Date();

  @Field({ description: 'Likelihood in words: 1 Rare, 2 Unlikely, 3 Possible, 4 Likely, 5 Almost certain.' })
  get likelihoodLabel(): string {
    return LIKELIHOOD_LABELS[this.likelihood - 1];
  }

  @Field({ description: 'Impact in words: 1 Negligible, 2 Minor, 3 Moderate, 4 Major, 5 Severe.' })
  get impactLabel(): string {
    return IMPACT_LABELS[this.impact - 1];
  }

  @Field(() => Int, { description: 'likelihood × impact.' })
  get score(): number {
    return this.likelihood * this.impact;
  }
}
