import { callerOf } from '../caller';
import type { MeteringContext } from '../context';
import { getMeterReferenceOrThrow } from './meter.service';
import type { Meter } from './meter.type';

/** Federation entry point for Meter; the service does the tenant and scope checks. */
export function resolveMeterReference(reference: Pick<Meter, 'id'>, context: MeteringContext): Promise<Meter> {
  return getMeterReferenceOrThrow(callerOf(context), reference.id);
}
