import { refOf, textValues, type HeaderRow } from './columns';
import type { Grid } from './grid';
import type { HeaderRole } from './headers';
import { detectDecimalSeparator } from './numbers';
import { detectDateOrder } from './timestamps';
import type { Convention, DateOrder, DecimalSeparator, ForecastMapping } from './types';

export const forecastHeaderWanted = (roles: (HeaderRole | null)[]): boolean =>
  roles.includes('CUSTOMER') &&
  roles.some((r) => r === 'DATE' || r === 'DATETIME') &&
  roles.some((r) => r !== null && r.startsWith('KWH'));

export interface ForecastColumns {
  header: HeaderRow;
  customer: number;
  date: number;
  /** Null when `date` holds date and time. */
  hour: number | null;
  kwh: number;
  convention: Convention;
  separator: DecimalSeparator;
  order: DateOrder;
  mapping: ForecastMapping;
}

/** Customer, date, hour (or one date-time) and kWh columns of a forecast sheet, with the decimal and date styles. */
export function detectForecastColumns(grid: Grid, header: HeaderRow): ForecastColumns | null {
  const find = (...roles: HeaderRole[]): number => header.roles.findIndex((r) => r !== null && roles.includes(r));
  const customer = find('CUSTOMER');
  const hour = find('TIME');
  const dateTime = find('DATETIME');
  const date = hour >= 0 ? find('DATE', 'DATETIME') : dateTime >= 0 ? dateTime : find('DATE');
  const kwh = ['KWH', 'KWH_DEL'].map((role) => header.roles.indexOf(role as HeaderRole)).find((c) => c >= 0) ?? -1;
  if (customer < 0 || date < 0 || kwh < 0) return null;
  const h = (c: number): string => refOf(header, c).header;
  const reasons = [
    header.reason,
    `customer: "${h(customer)}"`,
    hour >= 0 ? `date in "${h(date)}", hour in "${h(hour)}"` : `date and hour in "${h(date)}"`,
    `kWh: "${h(kwh)}"`,
  ];

  const hinted = header.hints[hour >= 0 ? hour : date];
  const convention: Convention = hinted ?? 'INTERVAL_START';
  reasons.push(
    hinted === 'INTERVAL_END' ? `hours are hour ends ("${h(hour >= 0 ? hour : date)}")` : 'hours are hour starts',
  );

  const numberTexts = [...textValues(grid, [kwh], header.r + 1)];
  const separator =
    numberTexts.length > 0 ? detectDecimalSeparator(numberTexts, grid.kind === 'CSV' ? undefined : ';') : null;
  if (separator) reasons.push(separator.reason);
  const dateTexts = [...textValues(grid, [date], header.r + 1)];
  const order = dateTexts.length > 0 ? detectDateOrder(dateTexts) : null;
  if (order) reasons.push(order.reason);

  const mapping: ForecastMapping = {
    customer: h(customer),
    timestamp: hour >= 0 ? [h(date), h(hour)] : [h(date)],
    kwh: h(kwh),
    convention,
    reasons,
  };
  if (separator) mapping.decimalSeparator = separator.separator;
  if (order) mapping.dateOrder = order.order;
  return {
    header,
    customer,
    date,
    hour: hour >= 0 ? hour : null,
    kwh,
    convention,
    separator: separator?.separator ?? '.',
    order: order?.order ?? 'DMY',
    mapping,
  };
}
