import type { ApolloServerPlugin } from '@apollo/server';
import { SCOPES_SPEC_URL, hasAnyScope, type Identity } from '@ciro/subgraph-common';
import {
  GraphQLError,
  Kind,
  TypeInfo,
  isInterfaceType,
  parse,
  visit,
  visitWithTypeInfo,
  type ConstDirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * What one field needs: every group must be met, and a group is met by ANY
 * of its scopes. An empty list means nothing is required.
 */
export type ScopeGroups = readonly (readonly string[])[];

/** `Type.field` → scope groups, read from the `@scopes` directives of a (super)graph SDL. */
export type ScopeMap = ReadonlyMap<string, ScopeGroups>;

export interface FieldRequirement {
  /** Schema coordinate, e.g. `Query.clients`. */
  field: string;
  groups: ScopeGroups;
}

/** What the plugin needs from the request context. */
export interface ScopeCheckContext {
  identity: Identity | null;
  /** Why sent credentials were refused; reported instead of a generic UNAUTHENTICATED. */
  authError: GraphQLError | null;
}

const SCOPES_SPEC_PREFIX = SCOPES_SPEC_URL.replace(/v[\d.]+$/, '');

function stringArgument(directive: ConstDirectiveNode, name: string): string | null {
  const argument = directive.arguments?.find((arg) => arg.name.value === name);
  return argument?.value.kind === Kind.STRING ? argument.value.value : null;
}

/** The name `@scopes` has in this SDL: it may be imported under another name through `@link`. */
function scopesDirectiveName(document: DocumentNode): string {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'link') continue;
      const url = stringArgument(directive, 'url');
      if (!url?.startsWith(SCOPES_SPEC_PREFIX)) continue;
      const imports = directive.arguments?.find((arg) => arg.name.value === 'import')?.value;
      if (imports?.kind !== Kind.LIST) continue;
      for (const entry of imports.values) {
        if (entry.kind === Kind.STRING && entry.value === '@scopes') return 'scopes';
        if (entry.kind !== Kind.OBJECT) continue;
        const field = (name: string) => {
          const value = entry.fields.find((f) => f.name.value === name)?.value;
          return value?.kind === Kind.STRING ? value.value : null;
        };
        if (field('name') === '@scopes') return (field('as') ?? '@scopes').replace(/^@/, '');
      }
    }
  }
  return 'scopes';
}

function scopesOf(directives: readonly ConstDirectiveNode[] | undefined, name: string): string[][] {
  const groups: string[][] = [];
  for (const directive of directives ?? []) {
    if (directive.name.value !== name) continue;
    const value = directive.arguments?.find((arg) => arg.name.value === 'require')?.value;
    if (value?.kind === Kind.LIST) {
      groups.push(value.values.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : [])));
    } else if (value?.kind === Kind.STRING) {
      groups.push([value.value]);
    }
  }
  return groups;
}

/**
 * Builds `Type.field → scopes` from object and interface types (and their
 * extensions). A type-level `@scopes` applies to each of its fields that has
 * none of its own; a field's own `@scopes` wins (so `require: []` on a field
 * makes it public), as with type-graphql's class vs. field `@Authorized`.
 */
export function buildScopeMap(sdl: string | DocumentNode): ScopeMap {
  const document = typeof sdl === 'string' ? parse(sdl) : sdl;
  const name = scopesDirectiveName(document);
  const typeGroups = new Map<string, string[][]>();
  const fieldGroups = new Map<string, string[][]>();
  const fieldsOfType = new Map<string, Set<string>>();
  for (const definition of document.definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION: {
        const typeName = definition.name.value;
        const onType = scopesOf(definition.directives, name);
        if (onType.length > 0) typeGroups.set(typeName, [...(typeGroups.get(typeName) ?? []), ...onType]);
        const fields = fieldsOfType.get(typeName) ?? new Set<string>();
        fieldsOfType.set(typeName, fields);
        for (const field of definition.fields ?? []) {
          fields.add(field.name.value);
          const onField = scopesOf(field.directives, name);
          if (onField.length > 0) fieldGroups.set(`${typeName}.${field.name.value}`, onField);
        }
        break;
      }
      default:
        break;
    }
  }
  const map = new Map<string, ScopeGroups>();
  for (const [typeName, fields] of fieldsOfType) {
    for (const field of fields) {
      const coordinate = `${typeName}.${field}`;
      const groups = fieldGroups.get(coordinate) ?? typeGroups.get(typeName) ?? [];
      const effective = groups.filter((group) => group.length > 0);
      if (effective.length > 0) map.set(coordinate, effective);
    }
  }
  return map;
}

function fragmentsUsedBy(document: DocumentNode, operation: OperationDefinitionNode): FragmentDefinitionNode[] {
  const definitions = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) definitions.set(definition.name.value, definition);
  }
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  while (pending.length > 0) {
    const node = pending.pop();
    if (!node) break;
    visit(node, {
      FragmentSpread(spread) {
        const fragment = definitions.get(spread.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...used.values()];
}

/**
 * Every field the operation selects (through fragments too) that needs
 * scopes. A field selected on an interface also needs what each
 * implementation's field needs, since any of them may answer.
 */
export function collectRequirements(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  scopeMap: ScopeMap,
): FieldRequirement[] {
  const found = new Map<string, ScopeGroups>();
  const add = (coordinate: string) => {
    const groups = scopeMap.get(coordinate);
    if (groups && !found.has(coordinate)) found.set(coordinate, groups);
  };
  for (const node of [operation, ...fragmentsUsedBy(document, operation)]) {
    const typeInfo = new TypeInfo(schema);
    visit(
      node,
      visitWithTypeInfo(typeInfo, {
        Field(field) {
          const parent = typeInfo.getParentType();
          if (!parent) return;
          const fieldName = field.name.value;
          add(`${parent.name}.${fieldName}`);
          if (isInterfaceType(parent)) {
            for (const implementation of schema.getPossibleTypes(parent)) add(`${implementation.name}.${fieldName}`);
          }
        },
      }),
    );
  }
  return [...found].map(([field, groups]) => ({ field, groups }));
}

/** A rejection sent as a normal GraphQL response (HTTP 200, as GraphQL over HTTP asks for JSON). */
function rejection(code: 'UNAUTHENTICATED' | 'FORBIDDEN', message: string, extra: Record<string, unknown> = {}) {
  return new GraphQLError(message, { extensions: { code, ...extra, http: { status: 200 } } });
}

function describe(requirement: FieldRequirement): string {
  return requirement.groups
    .map((group) => `${requirement.field} needs one of the scopes: ${group.join(', ')}`)
    .join('; ');
}

/** Throws UNAUTHENTICATED or FORBIDDEN unless the caller meets every requirement. */
export function assertScopes(caller: ScopeCheckContext, requirements: readonly FieldRequirement[]): void {
  const [first] = requirements;
  if (!first) return;
  const { identity, authError } = caller;
  if (!identity) {
    if (authError) {
      throw rejection('UNAUTHENTICATED', authError.message, { ...authError.extensions, code: 'UNAUTHENTICATED' });
    }
    throw rejection(
      'UNAUTHENTICATED',
      `Authentication required: ${describe(first)}. Send a valid access token or API key`,
    );
  }
  const missing = requirements
    .map(({ field, groups }) => ({ field, groups: groups.filter((group) => !hasAnyScope(identity.scopes, group)) }))
    .filter((requirement) => requirement.groups.length > 0);
  if (missing.length === 0) return;
  throw rejection('FORBIDDEN', `Missing scope: ${missing.map(describe).join('; ')}`, {
    missingScopes: missing.map(({ field, groups }) => ({ field, anyOf: groups.flat() })),
  });
}

/**
 * Rejects an operation before query planning when it selects a field whose
 * `@scopes` the caller does not hold (subgraphs check again themselves).
 */
export function scopePlugin<TContext extends ScopeCheckContext>(supergraphSdl: string): ApolloServerPlugin<TContext> {
  const scopeMap = buildScopeMap(supergraphSdl);
  // Apollo caches parsed documents, so the same DocumentNode comes back for a repeated operation.
  const cache = new WeakMap<DocumentNode, Map<string, FieldRequirement[]>>();
  const requirementsOf = (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode) => {
    const key = operation.name?.value ?? '';
    let perDocument = cache.get(document);
    if (!perDocument) {
      perDocument = new Map();
      cache.set(document, perDocument);
    }
    let requirements = perDocument.get(key);
    if (!requirements) {
      requirements = collectRequirements(schema, document, operation, scopeMap);
      perDocument.set(key, requirements);
    }
    return requirements;
  };
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ schema, document, operation, contextValue }) =>
          new Promise<void>((resolve) => {
            // Apollo has already rejected a document without the requested operation.
            if (operation) assertScopes(contextValue, requirementsOf(schema, document, operation));
            resolve();
          }),
      }),
  };
}
