import Decimal from 'decimal.js';
import { GraphQLScalarType, Kind } from 'graphql';

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

function parseDecimal(value: unknown): Decimal {
  if (typeof value !== 'string' || !DECIMAL_TEXT.test(value.trim())) {
    throw new TypeError(
      `Decimal values are strings of digits with an optional "." such as "0.0235"; got ${JSON.stringify(value)}`,
    );
  }
  return new Decimal(value.trim());
}

/** Money, energy, rates and factors: exact decimals written as strings, never floats. */
export const DecimalScalar = new GraphQLScalarType<Decimal, string>({
  name: 'Decimal',
  description: 'An exact decimal number serialised as a string, e.g. "166760.87" or "0.158412". Never a float.',
  serialize(value) {
    if (Decimal.isDecimal(value)) return value.toFixed();
    if (typeof value === 'string' && DECIMAL_TEXT.test(value)) return new Decimal(value).toFixed();
    throw new TypeError(`Cannot serialise ${typeof value} as Decimal`);
  },
  parseValue: parseDecimal,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new TypeError('Decimal literals must be strings such as "0.0235"');
    }
    return parseDecimal(ast.value);
  },
});

const YEAR_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

function parseYearMonth(value: unknown): string {
  if (typeof value !== 'string' || !YEAR_MONTH.test(value)) {
    throw new TypeError(`A billing period is written YYYY-MM, e.g. "2025-09"; got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A billing period: a calendar month in the client's time zone, "2025-09". */
export const YearMonthScalar = new GraphQLScalarType<string, string>({
  name: 'YearMonth',
  description: 'A calendar month written YYYY-MM (a billing period), e.g. "2025-09".',
  serialize: parseYearMonth,
  parseValue: parseYearMonth,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError('YearMonth literals must be strings such as "2025-09"');
    return parseYearMonth(ast.value);
  },
});

const CALENDAR_DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function parseCalendarDate(value: unknown): string {
  if (typeof value !== 'string' || !CALENDAR_DATE.test(value)) {
    throw new TypeError(`A calendar day is written YYYY-MM-DD, e.g. "2025-10-15"; got ${JSON.stringify(value)}`);
  }
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1) throw new TypeError(`${value} is not a day of the calendar`);
  return value;
}

/** A calendar day in the client's time zone, "2025-10-15" (no time, no offset). */
export const CalendarDateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar day written YYYY-MM-DD, read in the client’s time zone, e.g. "2025-10-15".',
  serialize: parseCalendarDate,
  parseValue: parseCalendarDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError('Date literals must be strings such as "2025-10-15"');
    return parseCalendarDate(ast.value);
  },
});
