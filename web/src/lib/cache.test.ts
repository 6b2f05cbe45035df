import { buildSchema, introspectionFromSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { embeddedTypeKeys } from './cache';

describe('embeddedTypeKeys', () => {
  it('marks object types without an id as embedded and leaves entities and roots alone', () => {
    const schema = buildSchema(`
      interface Node { id: ID! }
      type User implements Node { id: ID! name: String! }
      type LoginPayload { user: User! }
      type PageInfo { hasNextPage: Boolean! }
      type Legacy { _id: ID! }
      type Query { me: User }
      type Mutation { login: LoginPayload! }
      type Subscription { tick: String! }
    `);
    const keys = embeddedTypeKeys(introspectionFromSchema(schema));
    expect(Object.keys(keys).sort()).toEqual(['LoginPayload', 'PageInfo']);
    expect(keys.LoginPayload?.({ __typename: 'LoginPayload' })).toBeNull();
  });
});
