import { clockToMinutes, DAY_TYPES, type DayType, type TariffBlock } from '@ciro/subgraph-common';
import { invalidInput } from './errors';
import type { RateSetInput, TariffInput } from './types';

/** The tariff file shape of `samples/tariffs/*.json`. */
export interface TariffJson {
  code: string;
  name?: string;
  timezone?: string;
  currency?: string;
  blocks: Array<{ code: string; start: string; end: string; dayType?: DayType }>;
  rates: Array<{
    validFrom: string;
    energy: Record<string, string>;
    demand: string;
    ftpms: string;
    deviation: string;
  }>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw invalidInput(`tariff ${field}: expected a non-empty string`);
  return v;
}

/** Reads a tariff JSON document (blocks as `HH:MM` ranges, rates as decimal strings) into engine input. */
export function tariffFromJson(json: unknown): TariffInput {
  if (!isRecord(json)) throw invalidInput('tariff: expected an object');
  const code = text(json.code, 'code');
  if (!Array.isArray(json.blocks)) throw invalidInput('tariff blocks: expected an array');
  if (!Array.isArray(json.rates)) throw invalidInput('tariff rates: expected an array');

  const blocks = json.blocks.map((b: unknown, i): TariffBlock => {
    if (!isRecord(b)) throw invalidInput(`tariff blocks[${i}]: expected an object`);
    const dayType = b.dayType ?? 'ALL';
    if (!DAY_TYPES.includes(dayType as DayType)) throw invalidInput(`tariff blocks[${i}].dayType: unknown`);
    try {
      return {
        code: text(b.code, `blocks[${i}].code`),
        dayType: dayType as DayType,
        startMinute: clockToMinutes(text(b.start, `blocks[${i}].start`)),
        endMinute: clockToMinutes(text(b.end, `blocks[${i}].end`)),
      };
    } catch (e) {
      throw invalidInput(`tariff blocks[${i}]: ${(e as Error).message}`);
    }
  });

  const rateSets = json.rates.map((r: unknown, i): RateSetInput => {
    if (!isRecord(r)) throw invalidInput(`tariff rates[${i}]: expected an object`);
    if (!isRecord(r.energy)) throw invalidInput(`tariff rates[${i}].energy: expected an object`);
    const energy: Record<string, string> = {};
    for (const [block, rate] of Object.entries(r.energy)) energy[block] = text(rate, `rates[${i}].energy.${block}`);
    return {
      validFrom: text(r.validFrom, `rates[${i}].validFrom`),
      energy,
      demand: text(r.demand, `rates[${i}].demand`),
      ftpms: text(r.ftpms, `rates[${i}].ftpms`),
      deviation: text(r.deviation, `rates[${i}].deviation`),
    };
  });
  return { code, blocks, rateSets };
}
