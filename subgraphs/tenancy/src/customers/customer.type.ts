import type Decimal from 'decimal.js';
import { DecimalScalar } from '@ciro/subgraph-common';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'A large consumer billed by a client (e.g. an industrial plant billed by EIS Power). Its meters, readings and invoices hang off it.',
})
@Directive('@key(fields: "id")')
export class Customer {
  @Field(() => ID)
  id!: string;

  /** Raw ids, for services; not part of the schema. */
  clientId!: string;
  customerId!: string;

  @Field({ description: 'Business code, unique within the client (e.g. "C-0001").' })
  code!: string;

  @Field({ description: 'Name or legal name (razón social).' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'NIT (tax id), 0000-000000-000-0.' })
  nit!: string | null;

  @Field(() => String, { nullable: true, description: 'NRC (VAT registration), e.g. 87654-2.' })
  nrc!: string | null;

  @Field(() => String, { nullable: true, description: 'Supply contract number.' })
  contractNumber!: string | null;

  @Field(() => String, { nullable: true, description: 'Street address of the supply point.' })
  address!: string | null;

  @Field(() => String, { nullable: true, description: 'Departamento (first-level division), e.g. "La Libertad".' })
  department!: string | null;

  @Field(() => String, { nullable: true, description: 'Municipio, e.g. "Sacacoyo".' })
  municipality!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Contracted demand in kW.' })
  contractedKw!: Decimal | null;

  @Field(() => String, { nullable: true, description: 'Supply voltage level, e.g. "MT 23 kV".' })
  voltageLevel!: string | null;

  @Field(() => String, { nullable: true, description: 'Code of the tariff the customer is billed on, e.g. "MT-H".' })
  tariffCode!: string | null;

  @Field(() => DecimalScalar, { description: 'Loss factor as a fraction ("0.0235" for 2.35 %).' })
  lossFactor!: Decimal;

  @Field(() => DecimalScalar, { description: 'Discount on energy as a fraction ("0.02" for 2 %).' })
  discount!: Decimal;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Deviation tolerance as a fraction ("0.10"); null when the customer pays no deviation charge.',
  })
  deviationTolerance!: Decimal | null;

  @Field(() => Int, { description: 'Days from issue to due date.' })
  paymentTermsDays!: number;

  @Field(() => String, { nullable: true, description: 'Where invoices are sent.' })
  billingEmail!: string | null;

  @Field({ description: 'Language of documents: es or en.' })
  locale!: string;

  @Field({ description: 'ACTIVE or INACTIVE.' })
  status!: string;

  @Field()
  createdAt!: Date;
}

@InputType({ description: 'Commercial terms of a customer. Fractions are decimals: "0.0235" means 2.35 %.' })
export class CustomerTermsInput {
  @Field({ nullable: true })
  nit?: string;

  @Field({ nullable: true })
  nrc?: string;

  @Field({ nullable: true })
  contractNumber?: string;

  @Field({ nullable: true })
  address?: string;

  @Field({ nullable: true })
  department?: string;

  @Field({ nullable: true })
  municipality?: string;

  @Field(() => DecimalScalar, { nullable: true })
  contractedKw?: Decimal;

  @Field({ nullable: true })
  voltageLevel?: string;

  @Field({ nullable: true, description: 'Must name a tariff of the client.' })
  tariffCode?: string;

  @Field(() => DecimalScalar, { nullable: true })
  lossFactor?: Decimal;

  @Field(() => DecimalScalar, { nullable: true })
  discount?: Decimal;

  @Field(() => DecimalScalar, { nullable: true })
  deviationTolerance?: Decimal;

  @Field(() => Int, { nullable: true })
  paymentTermsDays?: number;

  @Field({ nullable: true })
  billingEmail?: string;

  @Field({ nullable: true })
  locale?: string;
}

@InputType()
export class CreateCustomerInput extends CustomerTermsInput {
  @Field(() => ID)
  clientId!: string;

  @Field()
  code!: string;

  @Field()
  name!: string;
}

@InputType()
export class UpdateCustomerInput extends CustomerTermsInput {
  @Field(() => ID)
  id!: string;

  @Field({ nullable: true })
  name?: string;

  @Field({ nullable: true, description: 'ACTIVE or INACTIVE.' })
  status?: string;
}
