import { slotStartFromIntervalEnd } from '@ciro/subgraph-common';
import { formatLocal } from './timestamps';
import type { Confidence, Convention } from './types';

/** One parsed timestamp as written, before it becomes a slot start. */
export interface StampFact {
  instant: Date;
  /** Local minutes since midnight as written; 1440 for `24:00`. */
  minuteOfDay: number;
  row: number;
}

export interface ConventionInput {
  stamps: readonly StampFact[];
  zone: string;
  headerHint: { convention: Convention; header: string } | null;
  metadataHint: { convention: Convention; text: string } | null;
  /** Bounds of the `period` option. */
  period: { start: Date; end: Date; label: string } | null;
}

export interface ConventionDecision {
  convention: Convention;
  confidence: Confidence;
  reasons: string[];
}

const LAST_START = 1440 - 15;

/**
 * INTERVAL_END (days run 00:15 … 24:00 or next-day 00:00) or INTERVAL_START (00:00 … 23:45). A `24:00` settles
 * it; otherwise the file's words (header, metadata lines), where the data begins and ends, and how it fits the
 * period vote. A tie falls back to INTERVAL_END, how meter exports stamp (BILLING.md §1).
 */
export function detectConvention(input: ConventionInput): ConventionDecision {
  const { stamps, zone } = input;
  const votes: { convention: Convention; weight: number; reason: string }[] = [];
  if (input.metadataHint) {
    votes.push({
      convention: input.metadataHint.convention,
      weight: 2,
      reason: `the file says "${input.metadataHint.text}"`,
    });
  }
  if (input.headerHint) {
    votes.push({
      convention: input.headerHint.convention,
      weight: 2,
      reason: `the column is named "${input.headerHint.header}"`,
    });
  }
  if (stamps.length > 0) {
    let first = stamps[0];
    let last = stamps[0];
    for (const s of stamps) {
      if (s.instant.getTime() < first.instant.getTime()) first = s;
      if (s.instant.getTime() > last.instant.getTime()) last = s;
    }
    const at = (s: StampFact): string => `${formatLocal(s.instant, zone)} (row ${s.row})`;
    if (first.minuteOfDay === 0)
      votes.push({
        convention: 'INTERVAL_START',
        weight: 1,
        reason: `the first stamp is ${at(first)}, a day's first interval start`,
      });
    if (first.minuteOfDay === 15)
      votes.push({
        convention: 'INTERVAL_END',
        weight: 1,
        reason: `the first stamp is ${at(first)}, the end of a day's first interval`,
      });
    if (last.minuteOfDay === LAST_START)
      votes.push({
        convention: 'INTERVAL_START',
        weight: 1,
        reason: `the last stamp is ${at(last)}, a day's last interval start`,
      });
    if (last.minuteOfDay === 0 && stamps.length > 1)
      votes.push({
        convention: 'INTERVAL_END',
        weight: 1,
        reason: `the last stamp is ${at(last)}, the end of the previous day's last interval`,
      });
  }
  if (input.period && stamps.length > 0) {
    const { start, end, label } = input.period;
    let endFit = 0;
    let startFit = 0;
    for (const s of stamps) {
      const t = s.instant.getTime();
      if (t > start.getTime() && t <= end.getTime()) endFit++;
      if (t >= start.getTime() && t < end.getTime()) startFit++;
    }
    if (endFit !== startFit) {
      const convention: Convention = endFit > startFit ? 'INTERVAL_END' : 'INTERVAL_START';
      votes.push({
        convention,
        weight: 2,
        reason: `${Math.max(endFit, startFit)} stamps fit period ${label} as interval ${convention === 'INTERVAL_END' ? 'ends' : 'starts'}, ${Math.min(endFit, startFit)} as interval ${convention === 'INTERVAL_END' ? 'starts' : 'ends'}`,
      });
    }
  }
  const midnight = stamps.find((s) => s.minuteOfDay === 1440);
  if (midnight) {
    // Only an interval end can be written 24:00; other signs are listed for the preview.
    const agree = votes.filter((v) => v.convention === 'INTERVAL_END').map((v) => v.reason);
    const disagree = votes.filter((v) => v.convention !== 'INTERVAL_END').map((v) => v.reason);
    const reasons = [
      `interval end: row ${midnight.row} is stamped 24:00, the end of the day's last interval${agree.length > 0 ? `; ${agree.join('; ')}` : ''}`,
    ];
    if (disagree.length > 0) reasons.push(`against it: ${disagree.join('; ')}`);
    return { convention: 'INTERVAL_END', confidence: 'HIGH', reasons };
  }
  const score = (c: Convention): number =>
    votes.filter((v) => v.convention === c).reduce((sum, v) => sum + v.weight, 0);
  const end = score('INTERVAL_END');
  const start = score('INTERVAL_START');
  const convention: Convention = start > end ? 'INTERVAL_START' : 'INTERVAL_END';
  const label = convention === 'INTERVAL_END' ? 'interval end' : 'interval start';
  const forIt = votes.filter((v) => v.convention === convention);
  const against = votes.filter((v) => v.convention !== convention);
  if (votes.length === 0 || start === end) {
    return {
      convention: 'INTERVAL_END',
      confidence: 'LOW',
      reasons: [
        votes.length === 0
          ? 'interval end assumed (how meter exports stamp): nothing in the file tells the convention'
          : `interval end assumed (how meter exports stamp): the signs disagree (${votes.map((v) => v.reason).join('; ')})`,
      ],
    };
  }
  const confidence: Confidence = against.length > 0 ? 'MEDIUM' : forIt.length >= 2 ? 'HIGH' : 'MEDIUM';
  const reasons = [`${label}: ${forIt.map((v) => v.reason).join('; ')}`];
  if (against.length > 0) reasons.push(`against it: ${against.map((v) => v.reason).join('; ')}`);
  return { convention, confidence, reasons };
}

export function slotStartOf(instant: Date, convention: Convention): Date {
  return convention === 'INTERVAL_END' ? slotStartFromIntervalEnd(instant) : instant;
}
