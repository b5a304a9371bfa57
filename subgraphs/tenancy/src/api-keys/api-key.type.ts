import type { Role } from '@ciro/subgraph-common';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { RoleEnum } from '../users/user.type';

@ObjectType({
  description:
    'A credential for third parties (ERP, integrators). Sent as `Authorization: Bearer ciro_…`; acts as CLIENT_ADMIN, ' +
    'or as CUSTOMER_USER of one customer, limited to its scopes. The secret is shown only when created.',
})
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'Public part of the key (after "ciro_"), to recognise it in logs and lists.' })
  prefix!: string;

  @Field(() => [String])
  scopes!: string[];

  @Field(() => RoleEnum, { description: 'The role the key acts as.' })
  role!: Role;

  @Field(() => ID, { nullable: true, description: 'The customer a CUSTOMER_USER key is limited to.' })
  customerId!: string | null;

  @Field({ description: 'ACTIVE, EXPIRED or REVOKED.' })
  status!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last time the key was used (updated at most once a minute).' })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => ID)
  clientId!: string;

  @Field({ description: 'What the key is for, e.g. "ERP export".' })
  name!: string;

  @Field(() => [String], {
    description: 'Scopes the key carries: a subset of yours and of the role it acts as.',
  })
  scopes!: string[];

  @Field(() => ID, { nullable: true, description: 'Limits the key to one customer (it then acts as CUSTOMER_USER).' })
  customerId?: string;

  @Field({ nullable: true, description: 'When the key stops working; never when omitted.' })
  expiresAt?: Date;
}

@InputType()
export class RevokeApiKeyInput {
  @Field(() => ID)
  id!: string;
}
