import type { KeyingConfig } from '@urql/exchange-graphcache';
import type { IntrospectionQuery } from 'graphql';

/**
 * Object types without an `id` (payloads, errors, connections, edges, PageInfo) are values embedded in their
 * parent, not entities. Deriving that from the schema keeps graphcache quiet and correct as the schema grows,
 * instead of a hand-kept list that is always one type behind.
 */
export function embeddedTypeKeys(schema: IntrospectionQuery): KeyingConfig {
  const s = schema.__schema;
  const roots = new Set([s.queryType?.name, s.mutationType?.name, s.subscriptionType?.name]);
  const keys: KeyingConfig = {};
  for (const type of s.types) {
    if (type.kind !== 'OBJECT' || roots.has(type.name) || type.name.startsWith('__')) continue;
    if (!type.fields.some((field) => field.name === 'id' || field.name === '_id')) keys[type.name] = () => null;
  }
  return keys;
}
