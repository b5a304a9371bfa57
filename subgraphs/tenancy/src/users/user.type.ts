import type { Role } from '@ciro/subgraph-common';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Client } from '../clients/client.type';

/** GraphQL enum of the roles in common's ROLES. */
export const RoleEnum = {
  SYSTEM_ADMIN: 'SYSTEM_ADMIN',
  CLIENT_ADMIN: 'CLIENT_ADMIN',
  CUSTOMER_USER: 'CUSTOMER_USER',
} as const satisfies Record<Role, Role>;

registerEnumType(RoleEnum, {
  name: 'Role',
  description: 'What a user or API key acts as; it decides the scopes it holds.',
  valuesConfig: {
    SYSTEM_ADMIN: { description: 'Platform operator: every client.' },
    CLIENT_ADMIN: { description: 'Staff of one client: its customers, meters, tariffs and billing.' },
    CUSTOMER_USER: { description: 'A user of one customer of a client: its own data only.' },
  },
});

export const ClientRoleEnum = {
  CLIENT_ADMIN: 'CLIENT_ADMIN',
  CUSTOMER_USER: 'CUSTOMER_USER',
} as const;
export type ClientRole = keyof typeof ClientRoleEnum;

registerEnumType(ClientRoleEnum, {
  name: 'ClientRole',
  description: 'Roles that can be assigned inside a client.',
});

@ObjectType({ description: 'A role a user holds, inside a client or on the whole platform.' })
export class RoleAssignment {
  @Field(() => RoleEnum)
  role!: Role;

  @Field(() => Client, { nullable: true, description: 'The client the role applies to; null for SYSTEM_ADMIN.' })
  client!: Client | null;

  @Field(() => ID, { nullable: true, description: 'The customer a CUSTOMER_USER acts for.' })
  customerId!: string | null;
}

@ObjectType({ description: 'A person who logs in to the portal or the admin console.' })
export class User {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Login email, lower case, unique on the platform.' })
  email!: string;

  @Field(() => String, { nullable: true })
  displayName!: string | null;

  @Field({ description: 'Language of the UI and e-mails: es or en.' })
  locale!: string;

  @Field({ description: 'True once the user confirmed a TOTP authenticator.' })
  mfaEnabled!: boolean;

  @Field(() => [RoleAssignment], { description: 'Roles of this user that the caller may see.' })
  roles!: RoleAssignment[];

  @Field({ description: 'ACTIVE or DISABLED.' })
  status!: string;

  @Field()
  createdAt!: Date;
}

@ObjectType({ description: 'Who the caller is: the user (null for an API key), its role, tenant and scopes.' })
export class Viewer {
  @Field(() => User, { nullable: true })
  user!: User | null;

  @Field(() => RoleEnum)
  role!: Role;

  @Field(() => ID, { nullable: true, description: 'The client the caller acts in; null for SYSTEM_ADMIN.' })
  clientId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The customer a CUSTOMER_USER acts for.' })
  customerId!: string | null;

  @Field(() => [String], { description: 'Scopes granted to the caller (see the @scopes directive on each field).' })
  scopes!: string[];
}

@InputType()
export class CreateUserInput {
  @Field(() => ID, { description: 'Client the user will belong to.' })
  clientId!: string;

  @Field()
  email!: string;

  @Field()
  displayName!: string;

  @Field({ description: 'Initial password, at least 12 characters.' })
  password!: string;

  @Field(() => ClientRoleEnum)
  role!: ClientRole;

  @Field(() => ID, { nullable: true, description: 'Required for CUSTOMER_USER: a customer of the same client.' })
  customerId?: string;

  @Field({ nullable: true, description: 'es (default) or en.' })
  locale?: string;
}

@InputType()
export class CreateSystemAdminInput {
  @Field()
  email!: string;

  @Field()
  displayName!: string;

  @Field({ description: 'Initial password, at least 12 characters.' })
  password!: string;

  @Field({ nullable: true, description: 'es (default) or en.' })
  locale?: string;
}
