import { GraphQLError } from 'graphql';

/** Stable `extensions.code` values third parties can rely on. */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'INTERNAL_SERVER_ERROR';

/**
 * Base of every error our code throws on purpose. It is a GraphQLError so that
 * type-graphql and Apollo pass it through untouched with its code.
 */
export class DomainError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...extra } });
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Authentication required: send a valid access token or API key') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You are not allowed to access this resource') {
    super('FORBIDDEN', message);
  }
}

export class NotFoundError extends DomainError {
  constructor(entity: string, id: string) {
    super('NOT_FOUND', `${entity} ${id} was not found`, { entity });
  }
}

export class BadUserInputError extends DomainError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('BAD_USER_INPUT', message, { field });
  }
}

/** Input that clashes with stored data (a duplicate code, serial or email): still the caller's to fix. */
export class ConflictError extends DomainError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('BAD_USER_INPUT', message, { field, reason: 'DUPLICATE' });
  }
}

export interface FieldProblem {
  /** Dotted path inside the mutation input, e.g. "nit" or "meters.0.serial". */
  field: string;
  message: string;
}

/** Several input problems found at once; each names its field. */
export class InputValidationError extends DomainError {
  constructor(readonly problems: FieldProblem[]) {
    super('BAD_USER_INPUT', problems.map((p) => `${p.field}: ${p.message}`).join('; '), {
      fields: problems.map((p) => p.field),
    });
  }
}
