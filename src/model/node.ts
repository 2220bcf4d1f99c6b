/**
 * The Relay Node interface and the base of every stored entity: a UUIDv7
 * primary key, timestamps, and the version used for optimistic locking.
 */
import { PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, InterfaceType, Int, ObjectType } from 'type-graphql';
import { v7 as uuidv7 } from 'uuid';
import { toGlobalId } from '../core/global-id';
import { DateTimeScalar } from '../core/scalars';

export function typeNameOf(value: object): string {
  return value.constructor.name;
}

@InterfaceType('Node', {
  description: 'An object with a globally unique, opaque id that `node(id:)` can fetch.',
  resolveType: (value) => typeNameOf(value),
})
export abstract class Node {
  /** The row's UUID; exposed only inside the global id. */
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Opaque global id of this object.' })
  get globalId(): string {
    return toGlobalId(typeNameOf(this), this.id);
  }
}

/** Abstract GraphQL type so every entity type exposes createdAt, updatedAt and version. */
@ObjectType({ description: 'Base of stored entities; not part of the schema on its own (no field returns it).' })
export abstract class BaseEntity extends Node {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @Field(() => DateTimeScalar, { description: 'When the object was created.' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => DateTimeScalar, { description: 'When the object last changed.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Field(() => Int, { description: 'Optimistic-locking version: pass it back to update mutations.' })
  @Property({ version: true, type: 'integer' })
  version!: number;
}
