import { Connection, PageArgs, Scopes, pageWindow, toConnection } from '@ciro/subgraph-common';
import { Args, Ctx, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { callerOf } from '../caller';
import { clientIdOrThrow } from '../clients/client.service';
import { Client } from '../clients/client.type';
import type { TenancyContext } from '../context';
import { AuditLogEntry } from './audit.type';
import { listClientAuditLog } from './audit-log.service';

@ObjectType()
export class AuditLogConnection extends Connection(AuditLogEntry, 'AuditLogEntry') {}

@Resolver(() => Client)
export class ClientAuditLogResolver {
  @FieldResolver(() => AuditLogConnection, { description: "The client's audit trail, newest first." })
  @Scopes('audit:read')
  async auditLog(
    @Root() client: Client,
    @Args() args: PageArgs,
    @Ctx() context: TenancyContext,
  ): Promise<AuditLogConnection> {
    const caller = callerOf(context);
    const page = pageWindow(args);
    const { rows, total } = await listClientAuditLog(caller, clientIdOrThrow(caller, client.id), page);
    return toConnection(rows, page, total);
  }
}
