import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { v7 as uuidv7 } from 'uuid';
import { Node } from './node';
import { DateTimeScalar } from '../core/scalars';
import { User } from './identity.entity';
import { Project } from './project.entity';

/** Append-only: no updatedAt, no version. Written in the same transaction as the change it records. */
@ObjectType({ implements: Node, description: 'A record of one change: who did what to which object, before and after.' })
@Entity({ tableName: 'audit_event' })
export class AuditEvent extends Node {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @Index()
  @ManyToOne(() => User, { nullable: true, deleteRule: 'restrict' })
  actor?: User | null;

  @Field(() => DateTimeScalar, { description: 'When it happened.' })
  @Index()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  occurredAt: Date = new Date();

  @Field({ description: 'What happened, e.g. deliverable.reject.' })
  @Index()
  @Property({ length: 80 })
  action!: string;

  @Field({ description: 'Type of the changed object, e.g. Deliverable.' })
  @Property({ length: 40 })
  entityType!: string;

  @Index()
  @Property({ type: 'uuid' })
  entityId!: string;

  @Index()
  @ManyToOne(() => Project, { nullable: true, deleteRule: 'restrict' })
  project?: Project | null;

  @Field(() => GraphQLJSONObject, { description: 'Changed fields: { field: { before, after } }.' })
  @Property({ type: 'json', columnType: 'jsonb' })
  changes: Record<string, { before: unknown; after: unknown }> = {};

  @Field({ description: 'Id of the request that made the change.' })
  @Property({ length: 64 })
  requestId!: string;
}
