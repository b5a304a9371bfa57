import { BadUserInputError, Scopes, YearMonthScalar, toConnection } from '@ciro/subgraph-common';
import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { callerOf } from '../caller';
import type { MeteringContext } from '../context';
import { MeterDataCompleteness } from '../consumption/consumption.type';
import { listMeterReadings, meterDataCompleteness } from './meter.service';
import { MAX_READINGS_PAGE, Meter, MeterReadingConnection, MeterReadingsArgs } from './meter.type';

function decodeOffset(after: string | undefined): number {
  if (!after) return 0;
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!match?.[1]) throw new BadUserInputError('after', 'after is not a cursor returned by this connection');
  return Number(match[1]) + 1;
}

@Resolver(() => Meter)
export class MeterReadingsResolver {
  @FieldResolver(() => MeterReadingConnection, {
    description:
      'Stored 15-minute readings with slot start in [from, to), oldest first (raw register values; at most 366 days per request). Customer users see only slots while the meter counts for them.',
  })
  @Scopes('readings:read', 'meters:read:own')
  async readings(
    @Root() meter: Meter,
    @Args() args: MeterReadingsArgs,
    @Ctx() context: MeteringContext,
  ): Promise<MeterReadingConnection> {
    const page = { limit: args.first ?? MAX_READINGS_PAGE, offset: decodeOffset(args.after) };
    const { rows, total } = await listMeterReadings(callerOf(context), meter, { from: args.from, to: args.to }, page);
    return toConnection(rows, page, total);
  }

  @FieldResolver(() => MeterDataCompleteness, {
    description:
      "Expected 15-minute slots of a billing period (local month of the client's time zone, DST-aware) against the readings stored, with the missing slots as ranges. Customer users count only slots while the meter counts for them.",
  })
  @Scopes('readings:read', 'meters:read:own')
  async dataCompleteness(
    @Root() meter: Meter,
    @Arg('period', () => YearMonthScalar) period: string,
    @Ctx() context: MeteringContext,
  ): Promise<MeterDataCompleteness> {
    return meterDataCompleteness(callerOf(context), meter, period);
  }
}
