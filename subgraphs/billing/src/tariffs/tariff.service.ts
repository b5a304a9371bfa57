import { withTenant, type Tx } from '@ciro/db';
import {
  ConflictError,
  InputValidationError,
  NotFoundError,
  assertClientAccess,
  assertClientAdmin,
  clockToMinutes,
  fromTenantIdOrThrow,
  minutesToClock,
  parseInputOrThrow,
  recordAudit,
  tenantContextFor,
  toGlobalId,
  validateTariffBlocks,
  type Caller,
  type TariffBlock,
} from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import { z } from 'zod';
import {
  DayTypeEnum,
  type CreateTariffInput,
  type RateSet,
  type ScheduleRateSetInput,
  type Tariff,
} from './tariff.type';
import {
  findTariffByCode,
  findTariffRow,
  insertTariff,
  listTariffRows,
  loadTariffAggregates,
  putRateSet,
  ratesUsedByIssuedInvoice,
  type NewRateSet,
  type TariffAggregate,
} from './tariff.repository';

const periodOf = (date: string) => date.slice(0, 7);

async function toTariff(tx: Tx, aggregate: TariffAggregate): Promise<Tariff> {
  const { tariff } = aggregate;
  const rateSets: RateSet[] = [];
  for (const [index, { rateSet, energyRates }] of aggregate.rateSets.entries()) {
    const next = aggregate.rateSets[index + 1]?.rateSet.validFrom ?? null;
    rateSets.push({
      id: toGlobalId('RateSet', tariff.clientId, rateSet.id),
      validFrom: rateSet.validFrom,
      energyRates: energyRates.map((r) => ({ block: r.block, rate: new Decimal(r.energyRate) })),
      demandRate: new Decimal(rateSet.demandRate ?? 0),
      ftpmsRate: new Decimal(rateSet.ftpmsRate ?? 0),
      deviationRate: new Decimal(rateSet.deviationRate ?? 0),
      locked: await ratesUsedByIssuedInvoice(
        tx,
        tariff.clientId,
        tariff.id,
        periodOf(rateSet.validFrom),
        next ? periodOf(next) : null,
      ),
    });
  }
  return {
    id: toGlobalId('Tariff', tariff.clientId, tariff.id),
    clientId: tariff.clientId,
    tariffId: tariff.id,
    code: tariff.code,
    name: tariff.name,
    description: tariff.description,
    blocks: aggregate.blocks.map((b) => ({
      code: b.block,
      dayType: b.dayType as DayTypeEnum,
      start: minutesToClock(b.startMinute),
      end: minutesToClock(b.endMinute),
    })),
    rateSets,
  };
}

function tariffIdsOrThrow(caller: Caller, globalId: string): { clientId: string; tariffId: string } {
  const { clientId, id } = fromTenantIdOrThrow('Tariff', globalId);
  assertClientAccess(caller.identity, clientId);
  return { clientId, tariffId: id };
}

export async function getTariffOrThrow(caller: Caller, globalId: string): Promise<Tariff> {
  const { clientId, tariffId } = tariffIdsOrThrow(caller, globalId);
  const tariff = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const row = await findTariffRow(tx, clientId, tariffId);
    if (!row) return null;
    const [aggregate] = await loadTariffAggregates(tx, clientId, [row]);
    return aggregate ? toTariff(tx, aggregate) : null;
  });
  if (!tariff) throw new NotFoundError('Tariff', globalId);
  return tariff;
}

export async function listClientTariffs(caller: Caller, clientId: string): Promise<Tariff[]> {
  assertClientAdmin(caller.identity, clientId);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const aggregates = await loadTariffAggregates(tx, clientId, await listTariffRows(tx, clientId));
    const tariffs: Tariff[] = [];
    for (const aggregate of aggregates) tariffs.push(await toTariff(tx, aggregate));
    return tariffs;
  });
}

const RATE = z
  .instanceof(Decimal)
  .refine((d) => d.gte(0), 'Must not be negative')
  .refine((d) => d.decimalPlaces() <= 6, 'Rates carry at most 6 decimals');
const CLOCK = z.string().refine((v) => {
  try {
    clockToMinutes(v);
    return true;
  } catch {
    return false;
  }
}, 'Must be a time HH:MM between 00:00 and 24:00');

const rateSetSchema = z.object({
  validFrom: z.string(),
  energyRates: z.array(z.object({ block: z.string().trim().min(1), rate: RATE })).min(1, 'At least one block rate'),
  demandRate: RATE,
  ftpmsRate: RATE,
  deviationRate: RATE,
});

const createSchema = z.object({
  clientId: z.string(),
  code: z
    .string()
    .trim()
    .regex(/^[A-Z0-9][A-Z0-9-]{0,31}$/, 'Use capital letters, digits and dashes, e.g. "MT-H"'),
  name: z.string().trim().min(1, 'Must not be empty').max(200),
  description: z.string().trim().max(2000).optional(),
  blocks: z
    .array(
      z.object({
        code: z.string().trim().min(1, 'Must not be empty'),
        dayType: z.enum(DayTypeEnum).default(DayTypeEnum.ALL),
        start: CLOCK,
        end: CLOCK,
      }),
    )
    .min(1, 'At least one block'),
  rateSets: z.array(rateSetSchema).min(1, 'At least one rate set'),
});

type ValidRateSet = z.infer<typeof rateSetSchema>;

function blocksOf(valid: z.infer<typeof createSchema>): TariffBlock[] {
  return valid.blocks.map((b) => ({
    code: b.code,
    dayType: b.dayType,
    startMinute: clockToMinutes(b.start),
    endMinute: clockToMinutes(b.end) % 1440,
  }));
}

/** Every block code needs exactly one energy rate, and no rate names an unknown block. */
function rateSetProblems(set: ValidRateSet, blockCodes: ReadonlySet<string>, path: string) {
  const problems: { field: string; message: string }[] = [];
  const rated = new Set<string>();
  set.energyRates.forEach((r, i) => {
    if (!blockCodes.has(r.block))
      problems.push({ field: `${path}.energyRates.${i}.block`, message: `Unknown block "${r.block}"` });
    if (rated.has(r.block))
      problems.push({ field: `${path}.energyRates.${i}.block`, message: `Block "${r.block}" is rated twice` });
    rated.add(r.block);
  });
  for (const code of blockCodes) {
    if (!rated.has(code))
      problems.push({ field: `${path}.energyRates`, message: `Missing the energy rate of block "${code}"` });
  }
  return problems;
}

function toNewRateSet(set: ValidRateSet): NewRateSet {
  return {
    validFrom: set.validFrom,
    demandRate: set.demandRate.toFixed(6),
    ftpmsRate: set.ftpmsRate.toFixed(6),
    deviationRate: set.deviationRate.toFixed(6),
    energyRates: set.energyRates.map((r) => ({ block: r.block, energyRate: r.rate.toFixed(6) })),
  };
}

export async function createTariff(caller: Caller, input: CreateTariffInput): Promise<Tariff> {
  const { clientId } = fromTenantIdOrThrow('Client', input.clientId);
  assertClientAdmin(caller.identity, clientId);
  const valid = parseInputOrThrow(createSchema, input);
  const blocks = blocksOf(valid);
  const coverage = validateTariffBlocks(blocks);
  const problems: { field: string; message: string }[] = coverage.ok
    ? []
    : coverage.problems.map((message) => ({ field: 'blocks', message }));
  const codes = new Set(blocks.map((b) => b.code));
  const dates = new Set<string>();
  valid.rateSets.forEach((set, i) => {
    problems.push(...rateSetProblems(set, codes, `rateSets.${i}`));
    if (dates.has(set.validFrom))
      problems.push({ field: `rateSets.${i}.validFrom`, message: `Two rate sets start on ${set.validFrom}` });
    dates.add(set.validFrom);
  });
  if (problems.length > 0) throw new InputValidationError(problems);

  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    if (await findTariffByCode(tx, clientId, valid.code)) {
      throw new ConflictError('code', `Tariff ${valid.code} already exists in this client`);
    }
    const tariff = await insertTariff(
      tx,
      { clientId, code: valid.code, name: valid.name, description: valid.description ?? null },
      blocks.map((b) => ({ block: b.code, dayType: b.dayType, startMinute: b.startMinute, endMinute: b.endMinute })),
    );
    for (const set of valid.rateSets) await putRateSet(tx, clientId, tariff.id, toNewRateSet(set));
    await recordAudit(tx, caller, {
      clientId,
      action: 'tariff.create',
      entityType: 'Tariff',
      entityId: tariff.id,
      after: valid,
    });
    const [aggregate] = await loadTariffAggregates(tx, clientId, [tariff]);
    if (!aggregate) throw new Error('created tariff is not visible');
    return toTariff(tx, aggregate);
  });
}

export async function scheduleRateSet(caller: Caller, input: ScheduleRateSetInput): Promise<Tariff> {
  const { clientId, tariffId } = tariffIdsOrThrow(caller, input.tariffId);
  assertClientAdmin(caller.identity, clientId);
  const set = parseInputOrThrow(rateSetSchema, input);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const row = await findTariffRow(tx, clientId, tariffId);
    if (!row) throw new NotFoundError('Tariff', input.tariffId);
    const [before] = await loadTariffAggregates(tx, clientId, [row]);
    if (!before) throw new NotFoundError('Tariff', input.tariffId);
    const problems = rateSetProblems(set, new Set(before.blocks.map((b) => b.block)), 'input');
    if (problems.length > 0)
      throw new InputValidationError(
        problems.map((p) => ({ ...p, field: p.field.replace(/^input\.?/, '') || 'energyRates' })),
      );
    const later =
      before.rateSets
        .map((r) => r.rateSet.validFrom)
        .filter((d) => d > set.validFrom)
        .sort()[0] ?? null;
    // Issued invoices keep the rates they were billed with: a change may only touch months not yet issued.
    if (
      await ratesUsedByIssuedInvoice(tx, clientId, tariffId, periodOf(set.validFrom), later ? periodOf(later) : null)
    ) {
      throw new ConflictError(
        'validFrom',
        `Invoices already issued for ${periodOf(set.validFrom)} or later use these rates; schedule the change from a month not yet issued`,
      );
    }
    await putRateSet(tx, clientId, tariffId, toNewRateSet(set));
    await recordAudit(tx, caller, {
      clientId,
      action: 'tariff.schedule_rate_set',
      entityType: 'Tariff',
      entityId: tariffId,
      before: before.rateSets.find((r) => r.rateSet.validFrom === set.validFrom) ?? null,
      after: set,
    });
    const [after] = await loadTariffAggregates(tx, clientId, [row]);
    if (!after) throw new NotFoundError('Tariff', input.tariffId);
    return toTariff(tx, after);
  });
}
