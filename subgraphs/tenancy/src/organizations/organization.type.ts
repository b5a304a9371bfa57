import { Field, ID, InputType, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The platform operator grouping clients (e.g. CIRO).' })
export class Organization {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'URL-safe short name, unique.' })
  slug!: string;

  @Field()
  createdAt!: Date;
}

@InputType()
export class CreateOrganizationInput {
  @Field()
  name!: string;

  @Field({ description: 'Lowercase letters, digits and dashes.' })
  slug!: string;
}
