import type { Database } from '@ciro/db';
import { requireIdentity, type Identity } from '@ciro/subgraph-common';
import type { TenancyContext } from './context';

/** An authenticated request, as services see it. */
export interface Caller {
  database: Database;
  identity: Identity;
  requestId: string;
}

export function callerOf(context: TenancyContext): Caller {
  if (context.authError) throw context.authError;
  return { database: context.database, identity: requireIdentity(context.identity), requestId: context.requestId };
}
