import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The tenancy subgraph's Client, extended here with billing fields. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Client {
  @Field(() => ID)
  id!: string;
}
