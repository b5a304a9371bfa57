import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One recorded change: who did what to which record, with the values before and after.' })
export class AuditLogEntry {
  @Field(() => ID)
  id!: string;

  @Field()
  occurredAt!: Date;

  @Field({ description: 'Role of the actor, or ANONYMOUS for failed logins.' })
  actorRole!: string;

  @Field(() => ID, { nullable: true, description: 'User who acted, when it was a user.' })
  actorUserId!: string | null;

  @Field(() => ID, { nullable: true, description: 'API key that acted, when it was a key.' })
  actorApiKeyId!: string | null;

  @Field({ description: 'What happened, e.g. "customer.update".' })
  action!: string;

  @Field(() => String, { nullable: true, description: 'Kind of record changed, e.g. "Customer".' })
  entityType!: string | null;

  @Field(() => String, { nullable: true })
  entityId!: string | null;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Values before the change (secrets redacted).' })
  before!: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Values after the change (secrets redacted).' })
  after!: unknown;

  @Field(() => String, { nullable: true, description: 'Request id, to match logs.' })
  requestId!: string | null;
}
