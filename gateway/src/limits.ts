import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { RequestHandler } from 'express';
import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';

/**
 * Limits every operation must respect; part of the public API documentation.
 * Depth counts nested selections; cost weighs objects 2 and scalars 1, times
 * 1.5 per level, times `first`/`last` on a connection; tokens are lexer tokens
 * of the whole document; aliases of `__typename` are free.
 */
export const QUERY_LIMITS = {
  maxDepth: 12,
  maxAliases: 15,
  maxCost: 20000,
  maxTokens: 2000,
  maxDirectives: 25,
} as const;

export interface ArmorProtection {
  plugins: ReturnType<ApolloArmor['protect']>['plugins'];
  validationRules: ReturnType<ApolloArmor['protect']>['validationRules'];
}

/** graphql-armor's validation rules and plugins with our limits; field suggestions are hidden in production. */
export function queryLimits(options: { production: boolean }): ArmorProtection {
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, ignoreIntrospection: true, flattenFragments: true, exposeLimits: true },
    maxAliases: { n: QUERY_LIMITS.maxAliases, exposeLimits: true },
    costLimit: { maxCost: QUERY_LIMITS.maxCost, ignoreIntrospection: true, exposeLimits: true },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives, exposeLimits: true },
    // armor's token limit throws from a parsing hook, which Apollo answers with a
    // 500 "Internal server error"; maxTokensMiddleware answers 400 instead.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: options.production },
  });
  const { plugins, validationRules } = armor.protect();
  return { plugins, validationRules };
}

/** Number of lexer tokens in `source`, stopping early past `limit`; null when it does not lex (parsing reports that). */
export function countTokens(source: string, limit: number): number | null {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      count += 1;
      if (count > limit) return count;
    }
  } catch (error) {
    if (error instanceof GraphQLError) return null;
    throw error;
  }
  return count;
}

function queryOf(body: unknown, query: unknown): string | null {
  if (body && typeof body === 'object' && 'query' in body && typeof body.query === 'string') return body.query;
  if (query && typeof query === 'object' && 'query' in query && typeof query.query === 'string') return query.query;
  return null;
}

/** Rejects documents of more than QUERY_LIMITS.maxTokens tokens before Apollo parses them. */
export function maxTokensMiddleware(limit: number = QUERY_LIMITS.maxTokens): RequestHandler {
  return (req, res, next) => {
    const query = queryOf(req.body, req.query);
    const tokens = query === null ? null : countTokens(query, limit);
    if (tokens !== null && tokens > limit) {
      res.status(400).json({
        errors: [
          {
            message: `Syntax Error: Token limit of ${limit} exceeded.`,
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      });
      return;
    }
    next();
  };
}
