import { ArgsType, Field, Int, ObjectType, type ClassType, Directive } from 'type-graphql';
import { Max, Min } from 'class-validator';
import { BadUserInputError } from '../errors/errors';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

@ObjectType({ description: 'Relay pagination state of a connection.' })
@Directive('@shareable')
export class PageInfo {
  @Field({ description: 'True when more items follow the last edge.' })
  hasNextPage!: boolean;

  @Field({ description: 'True when items precede the first edge.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge.' })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `How many items to return (1–${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}).`,
  })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true, description: 'Return items after this cursor.' })
  after?: string;
}

export interface Page {
  limit: number;
  offset: number;
}

/** Turns `first`/`after` into a limit/offset window; cursors are opaque to callers. */
export function pageWindow(args: PageArgs): Page {
  const limit = args.first ?? DEFAULT_PAGE_SIZE;
  if (limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new BadUserInputError('first', `first must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return { limit, offset: args.after ? decodeCursor(args.after) + 1 : 0 };
}

export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1]) throw new BadUserInputError('after', 'after is not a cursor returned by this connection');
  return Number(match[1]);
}

export interface ConnectionShape<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Builds a connection from one window of rows plus the total count. */
export function toConnection<T>(rows: readonly T[], page: Page, totalCount: number): ConnectionShape<T> {
  const edges = rows.map((node, index) => ({ node, cursor: encodeCursor(page.offset + index) }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: page.offset + rows.length < totalCount,
      hasPreviousPage: page.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** Declares `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function Connection<T extends object>(NodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { description: `An edge to a ${name}.` })
  class Edge {
    @Field(() => NodeType)
    node!: T;

    @Field()
    cursor!: string;
  }

  // Not emitted itself: the concrete `<Name>Connection` class extends it.
  @ObjectType()
  abstract class ConnectionType implements ConnectionShape<T> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Number of items across all pages.' })
    totalCount!: number;
  }
  return ConnectionType;
}
