import { Field, ObjectType, Directive } from 'type-graphql';
import { BadUserInputError, ConflictError, InputValidationError, NotFoundError } from '../errors/errors';

@ObjectType({ description: 'A problem with the input that the caller can fix.' })
@Directive('@shareable')
export class UserError {
  @Field(() => [String], {
    nullable: true,
    description: 'Path to the input field at fault, e.g. ["input", "nit"]; null when not about one field.',
  })
  field!: string[] | null;

  @Field({ description: 'What was wrong and what was expected.' })
  message!: string;

  @Field({ description: 'BAD_USER_INPUT (also for duplicates) or NOT_FOUND.' })
  code!: string;
}

/**
 * Runs a mutation body and turns input problems into `userErrors`; anything
 * else (authorization, unexpected failures) stays a GraphQL error.
 */
export async function withUserErrors<T extends object, E extends object = T>(
  body: () => Promise<T>,
  empty: E,
): Promise<(T | E) & { userErrors: UserError[] }> {
  try {
    return { ...(await body()), userErrors: [] };
  } catch (error) {
    if (error instanceof InputValidationError) {
      return {
        ...empty,
        userErrors: error.problems.map((problem) => ({
          field: ['input', ...problem.field.split('.')],
          message: problem.message,
          code: error.code,
        })),
      };
    }
    if (error instanceof BadUserInputError || error instanceof ConflictError) {
      return {
        ...empty,
        userErrors: [{ field: ['input', ...error.field.split('.')], message: error.message, code: error.code }],
      };
    }
    if (error instanceof NotFoundError) {
      return { ...empty, userErrors: [{ field: null, message: error.message, code: error.code }] };
    }
    throw error;
  }
}
