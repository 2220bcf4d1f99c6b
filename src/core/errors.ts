/**
 * Top-level error codes (extensions.code). Expected business outcomes of
 * mutations go to the payload's userErrors instead; everything not an
 * AppError is masked by formatError.
 */
import { GraphQLError } from 'graphql';

export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'INTERNAL_SERVER_ERROR';

export class AppError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication required: send a valid token as `Authorization: Bearer <token>`') {
    super(message, 'UNAUTHENTICATED');
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have permission to do this') {
    super(message, 'FORBIDDEN');
  }
}

/** Also what an invisible object looks like: never a hint that it exists. */
export class NotFoundError extends AppError {
  constructor(what = 'object') {
    super(`No ${what} with this id`, 'NOT_FOUND');
  }
}

export class BadUserInputError extends AppError {
  constructor(message: string, field?: string) {
    super(message, 'BAD_USER_INPUT', field ? { field } : {});
  }
}
