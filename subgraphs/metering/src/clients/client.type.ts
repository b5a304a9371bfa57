import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The tenancy subgraph's Client, extended here with its consumption summary. */
@ObjectType({ description: 'An energy supplier (owned by the tenancy subgraph); metering adds consumption figures.' })
@Directive('@key(fields: "id")')
export class Client {
  @Field(() => ID)
  id!: string;
}
