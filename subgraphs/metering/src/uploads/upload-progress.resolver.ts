import { Scopes, snapshotThenEvents } from '@ciro/subgraph-common';
import type { SubscribeResolverData } from 'type-graphql';
import { Arg, Field, ID, ObjectType, Root, Subscription } from 'type-graphql';
import { callerOf } from '../caller';
import type { MeteringContext } from '../context';
import { uploadChannelOf, type UploadEvent } from '../events/upload-events';
import { getUploadOrThrow, uploadIdsOrThrow } from './upload.service';
import { Upload, UploadStatus } from './upload.type';

@ObjectType({ description: 'One step of an upload: the stage reached and the upload as it is now.' })
export class UploadProgress {
  @Field(() => ID)
  uploadId!: string;

  @Field(() => String, {
    description:
      'SNAPSHOT (the state when the subscription started), then RECEIVED, PARSING, PREVIEW_READY, COMMITTING, COMMITTED, FAILED or DISCARDED.',
  })
  stage!: string;

  @Field(() => UploadStatus)
  status!: UploadStatus;

  @Field(() => String, { nullable: true, description: 'What went wrong, for FAILED; otherwise null.' })
  message!: string | null;

  @Field(() => Date)
  at!: Date;

  @Field(() => Upload, { description: 'The upload after this step (preview, problems, results).' })
  upload!: Upload;
}

/** Stages after which nothing more happens to an upload. */
const FINAL_STAGES = new Set(['COMMITTED', 'DISCARDED']);

function isUploadEvent(value: unknown): value is UploadEvent {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'UPLOAD_PROGRESS';
}

interface UploadProgressArgs {
  id: string;
}

/**
 * The current state first (so nothing between subscribing and the first event
 * is missed), then one item per stage; ends after COMMITTED or DISCARDED.
 */
async function subscribeUploadProgress({
  args,
  context,
}: SubscribeResolverData<unknown, UploadProgressArgs, MeteringContext>): Promise<AsyncIterable<UploadProgress>> {
  const caller = callerOf(context);
  const { clientId } = uploadIdsOrThrow(caller, args.id);
  const progress = (upload: Upload, stage: string, message: string | null, at: Date): UploadProgress => ({
    uploadId: args.id,
    stage,
    status: upload.status,
    message,
    at,
    upload,
  });
  return snapshotThenEvents(context.deps.eventBus, uploadChannelOf(clientId), {
    snapshot: async () => [
      progress(await getUploadOrThrow(context.deps, caller, args.id), 'SNAPSHOT', null, new Date()),
    ],
    endAfterSnapshot: ([first]) => first?.status === UploadStatus.COMMITTED || first?.status === UploadStatus.DISCARDED,
    map: async (raw) => {
      const event: unknown = JSON.parse(raw);
      if (!isUploadEvent(event) || event.uploadId !== args.id) return undefined;
      const upload = await getUploadOrThrow(context.deps, caller, args.id);
      return {
        value: progress(upload, event.stage, event.message, new Date(event.at)),
        last: FINAL_STAGES.has(event.stage),
      };
    },
  });
}

export class UploadProgressResolver {
  @Subscription(() => UploadProgress, {
    description:
      'Progress of one upload, from the state it is in now to COMMITTED or DISCARDED. Over graphql-ws at the gateway (`connectionParams.authorization`).',
    subscribe: subscribeUploadProgress,
  })
  @Scopes('readings:upload', 'readings:read')
  uploadProgress(@Arg('id', () => ID) _id: string, @Root() progress: UploadProgress): UploadProgress {
    return progress;
  }
}
