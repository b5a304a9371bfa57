import { BadUserInputError, Scopes, withUserErrors } from '@ciro/subgraph-common';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { callerOf } from '../caller';
import { clientIdOrThrow } from '../clients/client.service';
import type { TenancyContext } from '../context';
import { parseCustomerWorkbook, type ParsedCustomer } from './customer-workbook.parser';
import { upsertCustomers, type CustomerImportResult, type CustomerUpsert } from './customer-import.service';
import {
  CustomerImportPayload,
  ImportCustomerWorkbookInput,
  UpsertCustomersInput,
  type SheetCellError,
} from './customer-import.type';

const MAX_WORKBOOK_BYTES = 10 * 1024 * 1024;
const EMPTY = { created: 0, updated: 0, unchanged: 0, metersCreated: 0, customers: [], rowErrors: [] };

function payloadOf(result: CustomerImportResult, rowErrors: SheetCellError[] = []): CustomerImportPayload {
  const { problems, ...counts } = result;
  return {
    ...counts,
    rowErrors,
    userErrors: problems.map((p) => ({
      field: ['input', ...p.field.split('.')],
      message: p.message,
      code: 'BAD_USER_INPUT',
    })),
  };
}

function toUpsert(parsed: ParsedCustomer): CustomerUpsert {
  return {
    code: parsed.code,
    name: parsed.name,
    nit: parsed.nit,
    nrc: parsed.nrc,
    ...(parsed.contractNumber ? { contractNumber: parsed.contractNumber } : {}),
    ...(parsed.address ? { address: parsed.address } : {}),
    ...(parsed.department ? { department: parsed.department } : {}),
    ...(parsed.municipality ? { municipality: parsed.municipality } : {}),
    contractedKw: parsed.contractedKw,
    ...(parsed.voltageLevel ? { voltageLevel: parsed.voltageLevel } : {}),
    tariffCode: parsed.tariffCode,
    lossFactor: parsed.lossFactor,
    discount: parsed.discount,
    deviationTolerance: parsed.deviationTolerance,
    ...(parsed.paymentTermsDays !== undefined ? { paymentTermsDays: parsed.paymentTermsDays } : {}),
    ...(parsed.billingEmail ? { billingEmail: parsed.billingEmail } : {}),
    meters: parsed.meters.map((m) => ({ serial: m.serial, node: m.node, multiplier: m.multiplier })),
  };
}

@Resolver()
export class CustomerImportResolver {
  @Mutation(() => CustomerImportPayload, {
    description:
      'Creates or updates customers by code, with their meters (bulk). Invalid rows are reported in userErrors and skipped; the rest are saved. Sending the same data twice changes nothing.',
  })
  @Scopes('customers:write')
  async upsertCustomers(
    @Arg('input', () => UpsertCustomersInput) input: UpsertCustomersInput,
    @Ctx() context: TenancyContext,
  ): Promise<CustomerImportPayload> {
    const caller = callerOf(context);
    const clientId = clientIdOrThrow(caller, input.clientId);
    const result = await upsertCustomers(caller, clientId, input.customers);
    return payloadOf(result);
  }

  @Mutation(() => CustomerImportPayload, {
    description:
      'Imports the customer workbook ("Datos de clientes para facturación.xlsx"): one row per meter; percent forms 2.35%, 1,95%, 0.018 and multiplier 1.0235 accepted. Row problems are located by sheet, row and column; valid rows are imported.',
  })
  @Scopes('customers:write')
  async importCustomerWorkbook(
    @Arg('input', () => ImportCustomerWorkbookInput) input: ImportCustomerWorkbookInput,
    @Ctx() context: TenancyContext,
  ): Promise<CustomerImportPayload> {
    const caller = callerOf(context);
    const clientId = clientIdOrThrow(caller, input.clientId);
    return withUserErrors(async () => {
      const bytes = Buffer.from(input.contentBase64, 'base64');
      if (bytes.length === 0) throw new BadUserInputError('contentBase64', 'The file is empty or not base64');
      if (bytes.length > MAX_WORKBOOK_BYTES) {
        throw new BadUserInputError(
          'contentBase64',
          `The workbook is larger than ${MAX_WORKBOOK_BYTES / 1024 / 1024} MB`,
        );
      }
      const parsed = parseCustomerWorkbook(bytes);
      const rowErrors: SheetCellError[] = parsed.errors.map((e) => ({
        sheet: e.sheet,
        row: e.row,
        column: e.column ? `${e.column.header} (${e.column.letter})` : null,
        value: e.value === null ? null : String(e.value),
        message: e.message,
      }));
      const result = await upsertCustomers(caller, clientId, parsed.customers.map(toUpsert));
      // Problems found while saving point at the customer's first row in the sheet.
      for (const problem of result.problems) {
        const index = Number(problem.field.split('.')[1]);
        const source = parsed.customers[index];
        rowErrors.push({
          sheet: 'Clientes',
          row: source?.sourceRows[0] ?? null,
          column: null,
          value: source?.code ?? null,
          message: `${problem.field.split('.').slice(2).join('.') || 'row'}: ${problem.message}`,
        });
      }
      const { userErrors: _none, ...payload } = payloadOf({ ...result, problems: [] }, rowErrors);
      return payload;
    }, EMPTY);
  }
}
