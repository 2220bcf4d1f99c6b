/**
 * Expected failures of a mutation: the payload's `userErrors`, with a stable code.
 */
import { Field, ObjectType, registerEnumType } from 'type-graphql';

export enum UserErrorCode {
  VALIDATION = 'VALIDATION',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  ALREADY_EXISTS = 'ALREADY_EXISTS',
}
registerEnumType(UserErrorCode, {
  name: 'UserErrorCode',
  description: 'Why a mutation refused an expected case.',
  valuesConfig: {
    VALIDATION: { description: 'An input value is not acceptable; see field and message.' },
    INVALID_CREDENTIALS: { description: 'Email or password is wrong (deliberately not saying which).' },
    INVALID_TRANSITION: { description: 'The object\'s current state does not allow this action.' },
    VERSION_CONFLICT: { description: 'The object changed since the version you sent; reload and retry.' },
    ALREADY_EXISTS: { description: 'A unique value is already taken.' },
  },
});

@ObjectType({ description: 'An expected failure of a mutation, to show to the user.' })
export class UserError {
  @Field(() => [String], { nullable: true, description: 'Path of the input field at fault, if any.' })
  field?: string[] | null;

  @Field({ description: 'What went wrong and how to fix it.' })
  message!: string;

  @Field(() => UserErrorCode, { description: 'Stable code for programs.' })
  code!: UserErrorCode;
}
