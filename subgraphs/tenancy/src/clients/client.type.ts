import type Decimal from 'decimal.js';
import { DecimalScalar } from '@ciro/subgraph-common';
import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';

@ObjectType({ description: "A client's brand, printed on invoices and shown in the portal." })
export class ClientBranding {
  @Field(() => String, { nullable: true, description: 'URL or data: URI of the logo.' })
  logoUrl!: string | null;

  @Field(() => String, { nullable: true, description: 'Main colour, #RRGGBB.' })
  primaryColor!: string | null;

  @Field(() => String, { nullable: true, description: 'Accent colour, #RRGGBB.' })
  secondaryColor!: string | null;
}

@ObjectType({
  description:
    'An energy supplier using the platform (a tenant), e.g. EIS Power. Every other record belongs to one client.',
})
@Directive('@key(fields: "id")')
export class Client {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Short business code, unique on the platform (e.g. "EIS").' })
  code!: string;

  @Field()
  name!: string;

  @Field({ description: 'Legal name (razón social) printed on invoices.' })
  legalName!: string;

  @Field(() => String, { nullable: true, description: 'NIT: El Salvador tax id, 0000-000000-000-0.' })
  nit!: string | null;

  @Field(() => String, { nullable: true, description: 'NRC: VAT registration number, e.g. 123456-7.' })
  nrc!: string | null;

  @Field(() => String, { nullable: true })
  address!: string | null;

  @Field({ description: 'IANA time zone of tariff blocks, days and billing periods, e.g. America/El_Salvador.' })
  timeZone!: string;

  @Field({ description: 'ISO 4217 currency of every amount of this client.' })
  currency!: string;

  @Field(() => DecimalScalar, { description: 'VAT (IVA) rate as a fraction, e.g. "0.13".' })
  vatRate!: Decimal;

  @Field({ description: 'Default language of documents and UI: es or en.' })
  locale!: string;

  @Field(() => ClientBranding)
  branding!: ClientBranding;

  @Field({ description: 'ACTIVE or SUSPENDED.' })
  status!: string;

  @Field()
  createdAt!: Date;
}

@InputType({ description: 'Brand settings; omitted fields keep their value.' })
export class ClientBrandingInput {
  @Field(() => String, { nullable: true })
  logoUrl?: string | null;

  @Field(() => String, { nullable: true })
  primaryColor?: string | null;

  @Field(() => String, { nullable: true })
  secondaryColor?: string | null;
}

@InputType()
export class CreateClientInput {
  @Field(() => ID, { nullable: true, description: 'Organization the client belongs to; defaults to the caller’s.' })
  organizationId?: string;

  @Field()
  code!: string;

  @Field()
  name!: string;

  @Field()
  legalName!: string;

  @Field({ nullable: true })
  nit?: string;

  @Field({ nullable: true })
  nrc?: string;

  @Field({ nullable: true })
  address?: string;

  @Field({ nullable: true, description: 'Defaults to America/El_Salvador.' })
  timeZone?: string;

  @Field({ nullable: true, description: 'Defaults to USD.' })
  currency?: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Defaults to "0.13".' })
  vatRate?: Decimal;

  @Field({ nullable: true, description: 'es (default) or en.' })
  locale?: string;

  @Field(() => ClientBrandingInput, { nullable: true })
  branding?: ClientBrandingInput;
}

@InputType()
export class UpdateClientInput {
  @Field(() => ID)
  id!: string;

  @Field({ nullable: true })
  name?: string;

  @Field({ nullable: true })
  legalName?: string;

  @Field({ nullable: true })
  nit?: string;

  @Field({ nullable: true })
  nrc?: string;

  @Field({ nullable: true })
  address?: string;

  @Field({ nullable: true })
  timeZone?: string;

  @Field(() => DecimalScalar, { nullable: true })
  vatRate?: Decimal;

  @Field({ nullable: true })
  locale?: string;

  @Field(() => ClientBrandingInput, { nullable: true })
  branding?: ClientBrandingInput;

  @Field({ nullable: true, description: 'ACTIVE or SUSPENDED.' })
  status?: string;
}
