import { z } from 'zod';

/**
 * Reads and validates environment variables once, reporting every problem at
 * once with the variable's name, so a misconfigured process dies at start
 * with a message a person can act on.
 */
export function loadEnv<T extends z.ZodType>(schema: T, source: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    return `  ${name}: ${issue.message}`;
  });
  throw new Error(`Invalid configuration:\n${lines.join('\n')}\nSee .env.example for every variable and its default.`);
}

/** Environment shared by every subgraph process. */
export const subgraphEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JWT_SECRET: z
    .string({ message: 'JWT_SECRET is required (at least 32 characters); npm start generates one for local runs' })
    .min(32, 'JWT_SECRET must be at least 32 characters'),
  DATABASE_URL: z.string().url().default('postgres://ciro_app@127.0.0.1:5432/ciro'),
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(10),
});
export type SubgraphEnv = z.infer<typeof subgraphEnvSchema>;
