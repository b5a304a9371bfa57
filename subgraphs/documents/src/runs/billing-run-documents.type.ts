import { Scopes } from '@ciro/subgraph-common';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

/** Same scopes as billing's BillingRun fields: administrators of the run's client. */
export const RUN_READ = ['billing:read', 'billing:run'] as const;
const RunScopes = () => Scopes(...RUN_READ);

@ObjectType({ description: 'A billing run (owned by billing), extended with the state of its invoice PDFs.' })
@Directive('@key(fields: "id")')
export class BillingRun {
  @Field(() => ID)
  @RunScopes()
  id!: string;

  @Field(() => Int, { description: 'Issued invoices of the run (drafts excluded): the PDFs to render.' })
  @RunScopes()
  documentsTotal!: number;

  @Field(() => Int, { description: 'Issued invoices of the run whose PDF is stored (pdfStatus READY).' })
  @RunScopes()
  documentsReady!: number;

  @Field(() => Int, { description: 'Issued invoices of the run whose PDF could not be rendered (pdfStatus FAILED).' })
  @RunScopes()
  documentsFailed!: number;

  @Field(() => Int, { description: 'Issued invoices of the run whose PDF is queued or rendering (pdfStatus PENDING).' })
  @RunScopes()
  documentsPending!: number;
}
