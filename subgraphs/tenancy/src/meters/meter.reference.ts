import type { TenancyContext } from '../context';
import { callerOf } from '../caller';
import type { Meter } from './meter.type';
import { getMeterOrThrow } from './meter.service';

/** Federation entry point for Meter; the service does the tenant check. */
export function resolveMeterReference(reference: Pick<Meter, 'id'>, context: TenancyContext): Promise<Meter> {
  return getMeterOrThrow(callerOf(context), reference.id);
}
