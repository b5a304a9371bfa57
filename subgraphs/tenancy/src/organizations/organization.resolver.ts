import { Scopes, UserError, withUserErrors } from '@ciro/subgraph-common';
import { Arg, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { callerOf } from '../caller';
import type { TenancyContext } from '../context';
import { CreateOrganizationInput, Organization } from './organization.type';
import { createOrganization, listOrganizations } from './organization.service';

@ObjectType()
export class OrganizationPayload {
  @Field(() => Organization, { nullable: true })
  organization!: Organization | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => [Organization], { description: 'Every organization on the platform (system administrators).' })
  @Scopes('organizations:read')
  async organizations(@Ctx() context: TenancyContext): Promise<Organization[]> {
    return listOrganizations(callerOf(context));
  }

  @Mutation(() => OrganizationPayload, { description: 'Creates an organization (system administrators).' })
  @Scopes('organizations:write')
  async createOrganization(
    @Arg('input', () => CreateOrganizationInput) input: CreateOrganizationInput,
    @Ctx() context: TenancyContext,
  ): Promise<OrganizationPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ organization: await createOrganization(caller, input) }), {
      organization: null,
    });
  }
}
