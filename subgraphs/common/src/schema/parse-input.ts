import type { z } from 'zod';
import { InputValidationError } from '../errors/errors';

/** Validates a mutation input with zod; every problem names its field. */
export function parseInputOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InputValidationError(
    parsed.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || 'input',
      message: issue.message,
    })),
  );
}
