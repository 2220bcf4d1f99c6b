/** GraphQL shapes shared by mutations. */
import { Field, ID, InputType, Int, ObjectType, type ClassType } from 'type-graphql';
import { UserError } from '../core/user-error';

/** `XxxPayload { <key>: Type, userErrors }` for one mutation. */
export function payloadOf<T extends object>(type: ClassType<T>, key: string, name: string, description: string) {
  @ObjectType(name, { description })
  class Payload {
    @Field(() => type, { name: key, nullable: true, description: `The ${type.name} as it is after the mutation; null when it failed.` })
    object!: T | null;

    @Field(() => [UserError], { description: 'Expected failures (validation, invalid transition, version conflict); empty on success.' })
    userErrors!: UserError[];
  }
  return Payload;
}

export interface TargetInputShape { id: string; version: number }

/** `{ id, version }` input of a transition mutation that takes nothing else. */
export function targetInputOf(name: string, typeName: string, description: string) {
  @InputType(name, { description })
  class TargetInput {
    @Field(() => ID, { description: `Id of the ${typeName}.` })
    id!: string;

    @Field(() => Int, { description: `The version of the ${typeName} you read; a stale version is a VERSION_CONFLICT and nothing is written.` })
    version!: number;
  }
  return TargetInput;
}
