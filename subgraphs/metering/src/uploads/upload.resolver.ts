import {
  BadUserInputError,
  Connection,
  PageArgs,
  Scopes,
  UserError,
  pageWindow,
  toConnection,
  withUserErrors,
} from '@ciro/subgraph-common';
import { Arg, Args, ArgsType, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { callerOf } from '../caller';
import type { MeteringContext } from '../context';
import { createUploadFromBlob, requestUploadUrl, UPLOAD_URL_TTL_SECONDS } from './direct-upload.service';
import { commitUpload } from './upload-commit.service';
import { createUpload, discardUpload, getUploadOrThrow, listUploads, setUploadMapping } from './upload.service';
import {
  CreateUploadFromBlobInput,
  CreateUploadInput,
  CreateUploadOutcome,
  RequestUploadUrlInput,
  SetUploadMappingInput,
  Upload,
  UploadCommitSummary,
  UploadIdInput,
  UploadKind,
  UploadStatus,
} from './upload.type';

@ObjectType()
export class UploadConnection extends Connection(Upload, 'Upload') {}

@ObjectType()
export class CreateUploadPayload {
  @Field(() => Upload, { nullable: true, description: 'The new upload, or the existing one when DUPLICATE.' })
  upload!: Upload | null;

  @Field(() => CreateUploadOutcome, { nullable: true })
  outcome!: CreateUploadOutcome | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class UploadPayload {
  @Field(() => Upload, { nullable: true })
  upload!: Upload | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class CommitUploadPayload {
  @Field(() => Upload, { nullable: true })
  upload!: Upload | null;

  @Field(() => UploadCommitSummary, { nullable: true, description: 'Slots new, unchanged and replaced.' })
  summary!: UploadCommitSummary | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class UploadUrlPayload {
  @Field(() => String, { nullable: true, description: 'Pass it to createUploadFromBlob once the file is uploaded.' })
  blobKey!: string | null;

  @Field(() => String, {
    nullable: true,
    description: `PUT the file here with the header \`x-ms-blob-type: BlockBlob\`; write-only, for this one file, valid ${UPLOAD_URL_TTL_SECONDS / 60} minutes.`,
  })
  uploadUrl!: string | null;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'Largest file accepted, in bytes.' })
  maxBytes!: number | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ArgsType()
export class UploadsArgs extends PageArgs {
  @Field(() => ID)
  clientId!: string;

  @Field(() => UploadStatus, { nullable: true })
  status?: UploadStatus;

  @Field(() => UploadKind, { nullable: true })
  kind?: UploadKind;
}

/** Base64 as sent by browsers and curl; anything else is refused instead of silently decoded. */
function decodeBase64OrThrow(text: string): Buffer {
  const clean = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
    throw new BadUserInputError('contentBase64', 'contentBase64 is not base64');
  }
  return Buffer.from(clean, 'base64');
}

@Resolver(() => Upload)
export class UploadResolver {
  @Query(() => UploadConnection, { description: "A client's uploads, newest first (administrators)." })
  @Scopes('readings:upload', 'readings:read')
  async uploads(@Args() args: UploadsArgs, @Ctx() context: MeteringContext): Promise<UploadConnection> {
    const page = pageWindow(args);
    const { rows, total } = await listUploads(
      context.deps,
      callerOf(context),
      args.clientId,
      { ...(args.status ? { status: args.status } : {}), ...(args.kind ? { kind: args.kind } : {}) },
      page,
    );
    return toConnection(rows, page, total);
  }

  @Query(() => Upload, { description: 'One upload with its preview, problems and commit summary.' })
  @Scopes('readings:upload', 'readings:read')
  async upload(@Arg('id', () => ID) id: string, @Ctx() context: MeteringContext): Promise<Upload> {
    return getUploadOrThrow(context.deps, callerOf(context), id);
  }

  @Mutation(() => CreateUploadPayload, {
    description:
      'Stores a meter or forecast file (base64, for small files; larger ones: POST /v1/meter-readings/upload) and queues its parse. The same file again is returned as DUPLICATE and changes nothing.',
  })
  @Scopes('readings:upload')
  async createUpload(
    @Arg('input', () => CreateUploadInput) input: CreateUploadInput,
    @Ctx() context: MeteringContext,
  ): Promise<CreateUploadPayload> {
    const caller = callerOf(context);
    return withUserErrors(
      async () => {
        const created = await createUpload(context.deps, caller, {
          clientId: input.clientId,
          kind: input.kind,
          fileName: input.fileName,
          bytes: decodeBase64OrThrow(input.contentBase64),
          period: input.period ?? null,
        });
        return { upload: created.upload, outcome: CreateUploadOutcome[created.outcome] };
      },
      { upload: null, outcome: null },
    );
  }

  @Mutation(() => UploadUrlPayload, {
    description:
      'A write-only link to put one large file straight into blob storage (no size limit of a request body); then call createUploadFromBlob with the blobKey.',
  })
  @Scopes('readings:upload')
  async requestUploadUrl(
    @Arg('input', () => RequestUploadUrlInput) input: RequestUploadUrlInput,
    @Ctx() context: MeteringContext,
  ): Promise<UploadUrlPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ ...(await requestUploadUrl(context.deps, caller, input)) }), {
      blobKey: null,
      uploadUrl: null,
      expiresAt: null,
      maxBytes: null,
    });
  }

  @Mutation(() => CreateUploadPayload, {
    description:
      'Stores a file uploaded through requestUploadUrl as an upload and queues its parse, exactly like createUpload (the same file again is DUPLICATE).',
  })
  @Scopes('readings:upload')
  async createUploadFromBlob(
    @Arg('input', () => CreateUploadFromBlobInput) input: CreateUploadFromBlobInput,
    @Ctx() context: MeteringContext,
  ): Promise<CreateUploadPayload> {
    const caller = callerOf(context);
    return withUserErrors(
      async () => {
        const created = await createUploadFromBlob(context.deps, caller, {
          clientId: input.clientId,
          kind: input.kind,
          blobKey: input.blobKey,
          fileName: input.fileName ?? null,
          period: input.period ?? null,
        });
        return { upload: created.upload, outcome: CreateUploadOutcome[created.outcome] };
      },
      { upload: null, outcome: null },
    );
  }

  @Mutation(() => UploadPayload, {
    description:
      'Replaces the corrections of an upload not yet committed (sheet → meter serial, column mapping, timestamp convention, period) and parses it again.',
  })
  @Scopes('readings:upload')
  async setUploadMapping(
    @Arg('input', () => SetUploadMappingInput) input: SetUploadMappingInput,
    @Ctx() context: MeteringContext,
  ): Promise<UploadPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ upload: await setUploadMapping(context.deps, caller, input) }), {
      upload: null,
    });
  }

  @Mutation(() => CommitUploadPayload, {
    description:
      'Stores the readings of a PREVIEW_READY upload (all or nothing) and updates hourly/daily figures; the summary counts new, unchanged and replaced slots.',
  })
  @Scopes('readings:upload')
  async commitUpload(
    @Arg('input', () => UploadIdInput) input: UploadIdInput,
    @Ctx() context: MeteringContext,
  ): Promise<CommitUploadPayload> {
    const caller = callerOf(context);
    return withUserErrors(() => commitUpload(context.deps, caller, input.id), { upload: null, summary: null });
  }

  @Mutation(() => UploadPayload, { description: 'Drops an upload that was not committed.' })
  @Scopes('readings:upload')
  async discardUpload(
    @Arg('input', () => UploadIdInput) input: UploadIdInput,
    @Ctx() context: MeteringContext,
  ): Promise<UploadPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ upload: await discardUpload(context.deps, caller, input.id) }), {
      upload: null,
    });
  }
}
