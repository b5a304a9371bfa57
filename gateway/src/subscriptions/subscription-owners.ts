import { Kind, parse, type ConstDirectiveNode, type DocumentNode } from 'graphql';

function argumentValue(directive: ConstDirectiveNode, name: string): string | null {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  if (value?.kind === Kind.STRING || value?.kind === Kind.ENUM) return value.value;
  return null;
}

/**
 * `Subscription.field` → the subgraph that resolves it, read from the
 * supergraph's join directives: the field's `@join__field(graph:)`, or the
 * type's only `@join__type(graph:)`. Subscription fields are never shared, so
 * each has exactly one owner.
 */
export function subscriptionOwners(supergraphSdl: string | DocumentNode): ReadonlyMap<string, string> {
  const document = typeof supergraphSdl === 'string' ? parse(supergraphSdl) : supergraphSdl;
  const graphNames = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((directive) => directive.name.value === 'join__graph');
      const name = graph ? argumentValue(graph, 'name') : null;
      if (name) graphNames.set(value.name.value, name);
    }
  }
  const owners = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || definition.name.value !== 'Subscription') continue;
    const typeGraphs = (definition.directives ?? [])
      .filter((directive) => directive.name.value === 'join__type')
      .map((directive) => argumentValue(directive, 'graph'))
      .filter((graph): graph is string => graph !== null);
    for (const field of definition.fields ?? []) {
      const fieldGraphs = (field.directives ?? [])
        .filter((directive) => directive.name.value === 'join__field')
        .map((directive) => argumentValue(directive, 'graph'))
        .filter((graph): graph is string => graph !== null);
      const graphs = fieldGraphs.length > 0 ? fieldGraphs : typeGraphs;
      const [graph] = graphs;
      if (graphs.length !== 1 || !graph) {
        throw new Error(`Subscription.${field.name.value} must belong to exactly one subgraph, found ${graphs.length}`);
      }
      owners.set(field.name.value, graphNames.get(graph) ?? graph.toLowerCase());
    }
  }
  return owners;
}
