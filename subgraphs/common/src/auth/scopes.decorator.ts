import { Authorized, Directive, type AuthChecker } from 'type-graphql';
import { ForbiddenError } from '../errors/errors';
import type { RequestContext } from '../server/context';
import { requireIdentity } from './identity';
import { hasAnyScope, type Scope } from './scopes';

type FieldDecorator = MethodDecorator & PropertyDecorator;

function scopesDirective(scopes: readonly string[]): string {
  return `@scopes(require: [${scopes.map((scope) => JSON.stringify(scope)).join(', ')}])`;
}

/**
 * Declares and enforces the scopes a field accepts (the caller needs ANY of
 * them). The same decorator emits `@scopes` into the SDL, which the gateway
 * reads from the supergraph to reject an operation before planning, and
 * registers type-graphql's `@Authorized`, so the subgraph enforces the rule
 * itself even if called directly.
 */
export function Scopes(...scopes: [Scope, ...Scope[]]): FieldDecorator {
  const directive = Directive(scopesDirective(scopes));
  const authorized = Authorized<Scope>(...scopes);
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    directive(target, key, descriptor as never);
    authorized(target, key, descriptor as never);
  };
}

/** Marks a field as open to anonymous callers (login, refresh). */
export function Public(): FieldDecorator {
  const directive = Directive(scopesDirective([]));
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    directive(target, key, descriptor as never);
  };
}

/** type-graphql authChecker: `roles` are the scopes given to `@Scopes`. */
export const scopeAuthChecker: AuthChecker<RequestContext, string> = ({ context }, scopes) => {
  if (context.authError) throw context.authError;
  const identity = requireIdentity(context.identity);
  if (!hasAnyScope(identity.scopes, scopes)) {
    throw new ForbiddenError(`This needs one of the scopes: ${scopes.join(', ')}`);
  }
  return true;
};
