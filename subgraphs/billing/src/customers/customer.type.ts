import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The tenancy subgraph's Customer, extended here with its invoices. */
@ObjectType({ description: 'A customer of a client (owned by the tenancy subgraph); billing adds its invoices.' })
@Directive('@key(fields: "id")')
export class Customer {
  @Field(() => ID)
  id!: string;
}
