import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError } from './errors';
import type { Logger } from '../logger';

const PASS_THROUGH_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Masks anything that is not one of our deliberate errors, so stack traces,
 * SQL and internal messages never reach a caller; the original is logged.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return { ...formatted, extensions: { ...original.extensions } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PASS_THROUGH_CODES.has(code)) {
      const { stacktrace: _ignored, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    if (isArgumentValidationError(original)) {
      return {
        message: formatted.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'BAD_USER_INPUT', validation: validationDetails(original) },
      };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error in resolver');
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

interface ArgumentValidationErrorLike {
  name: string;
  extensions?: { validationErrors?: unknown };
}

function isArgumentValidationError(error: unknown): error is ArgumentValidationErrorLike {
  return error instanceof Error && error.name === 'ArgumentValidationError';
}

function validationDetails(error: ArgumentValidationErrorLike): unknown {
  return error.extensions?.validationErrors ?? null;
}
