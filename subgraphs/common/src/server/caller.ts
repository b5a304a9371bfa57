import type { Database } from '@ciro/db';
import { requireIdentity, type Identity } from '../auth/identity';
import type { RequestContext } from './context';

/** An authenticated request, as services see it: who, on which database, for which request. */
export interface Caller {
  database: Database;
  identity: Identity;
  requestId: string;
}

/** The caller of a request; throws the token's error, or UNAUTHENTICATED when anonymous. */
export function callerOf(context: RequestContext & { database: Database }): Caller {
  if (context.authError) throw context.authError;
  return { database: context.database, identity: requireIdentity(context.identity), requestId: context.requestId };
}
