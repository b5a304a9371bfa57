import type Decimal from 'decimal.js';
import { DecimalScalar, UserError } from '@ciro/subgraph-common';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ConsumptionChannel } from '../meters/meter.type';
import { Customer, CustomerTermsInput } from './customer.type';

@InputType({ description: 'A meter of an imported customer, matched by serial within the client.' })
export class MeterUpsertInput {
  @Field()
  serial!: string;

  @Field({ nullable: true })
  node?: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'CT/PT multiplier; defaults to "1" for a new meter.' })
  multiplier?: Decimal;

  @Field(() => ConsumptionChannel, { nullable: true })
  consumptionChannel?: ConsumptionChannel;
}

@InputType({ description: 'A customer matched by code: created when new, updated when its data differ.' })
export class CustomerUpsertInput extends CustomerTermsInput {
  @Field()
  code!: string;

  @Field()
  name!: string;

  @Field(() => [MeterUpsertInput], { nullable: true, description: 'Meters that count for this customer.' })
  meters?: MeterUpsertInput[];
}

@InputType()
export class UpsertCustomersInput {
  @Field(() => ID)
  clientId!: string;

  @Field(() => [CustomerUpsertInput], { description: 'At most 2000 customers.' })
  customers!: CustomerUpsertInput[];
}

@InputType({ description: 'The client’s customer workbook (sheet "Clientes", one row per meter).' })
export class ImportCustomerWorkbookInput {
  @Field(() => ID)
  clientId!: string;

  @Field({ nullable: true })
  fileName?: string;

  @Field({ description: 'The .xlsx file, base64-encoded (at most 10 MB).' })
  contentBase64!: string;
}

@ObjectType({ description: 'A problem in an uploaded sheet, located by sheet, row and column.' })
export class SheetCellError {
  @Field()
  sheet!: string;

  @Field(() => Int, { nullable: true, description: '1-based row as Excel shows it.' })
  row!: number | null;

  @Field(() => String, { nullable: true, description: 'Column header and letter, e.g. "NIT (C)".' })
  column!: string | null;

  @Field(() => String, { nullable: true, description: 'The cell value as read.' })
  value!: string | null;

  @Field({ description: 'What was wrong and what was expected.' })
  message!: string;
}

@ObjectType({ description: 'Outcome of a bulk customer import: valid rows are saved, others reported.' })
export class CustomerImportPayload {
  @Field(() => Int)
  created!: number;

  @Field(() => Int)
  updated!: number;

  @Field(() => Int)
  unchanged!: number;

  @Field(() => Int)
  metersCreated!: number;

  @Field(() => [Customer], { description: 'Every customer saved by this import (created, updated or unchanged).' })
  customers!: Customer[];

  @Field(() => [UserError])
  userErrors!: UserError[];

  @Field(() => [SheetCellError], { description: 'Problems located in the workbook (workbook imports only).' })
  rowErrors!: SheetCellError[];
}
