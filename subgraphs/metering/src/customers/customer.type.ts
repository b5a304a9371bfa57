import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The tenancy subgraph's Customer, referenced by upload previews. */
@ObjectType({ description: 'A customer of a client (owned by the tenancy subgraph).' })
@Directive('@key(fields: "id")')
export class Customer {
  @Field(() => ID)
  id!: string;
}
