import type { CombinedError } from 'urql';

/** The API reports a missing or refused credential as a GraphQL error with this code (see the API's errors.ts). */
export function isUnauthenticated(error: CombinedError | undefined): boolean {
  return !!error?.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}

/** A short sentence for a person; the technical detail stays in the console. */
export function describeError(error: CombinedError): string {
  if (error.networkError) return 'Cannot reach the server. Check the connection; this page retries when you reload it.';
  return error.graphQLErrors[0]?.message ?? 'Something went wrong.';
}
