import { GraphQLError } from 'graphql';

/** Expected failures: returned as typed members of a mutation's result union, never thrown to the client. */
export class DomainError extends Error {
  override name = 'DomainError';
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  constructor(
    readonly entity: string,
    readonly ref: string,
  ) {
    super(`${entity} ${ref} was not found`);
  }
}

export class ConflictError extends DomainError {
  override name = 'ConflictError';
  constructor(
    message: string,
    readonly currentVersion: number | null = null,
  ) {
    super(message);
  }
}

export interface FieldIssue {
  path: string[];
  message: string;
}

export class ValidationError extends DomainError {
  override name = 'ValidationError';
  constructor(readonly fieldErrors: FieldIssue[]) {
    super(`Invalid input: ${fieldErrors.map((e) => `${e.path.join('.') || 'input'}: ${e.message}`).join('; ')}`);
  }

  static of(path: string, message: string): ValidationError {
    return new ValidationError([{ path: path.split('.'), message }]);
  }
}

export class InvalidCredentialsError extends DomainError {
  override name = 'InvalidCredentialsError';
  constructor() {
    super('The email or password is incorrect');
  }
}

export class TooManyAttemptsError extends DomainError {
  override name = 'TooManyAttemptsError';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed login attempts; try again in ${retryAfterSeconds} s`);
  }
}

/** Authentication and authorization failures are GraphQL errors with a stable `extensions.code`. */
export function unauthenticated(message = 'Authentication required'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 200 } } });
}

export function forbidden(message = 'Not authorized'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

export class InvalidTransitionError extends DomainError {
  override name = 'InvalidTransitionError';
  constructor(
    readonly from: string,
    readonly to: string,
    readonly allowed: readonly string[],
    detail?: string,
  ) {
    super(
      detail ??
        `A ticket cannot go from ${from} to ${to}; allowed from ${from}: ${allowed.length ? allowed.join(', ') : 'none'}`,
    );
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  override name = 'IdempotencyKeyReusedError';
  constructor(readonly existingTicketNumber: string) {
    super(`This idempotency key was already used for ${existingTicketNumber} with a different request`);
  }
}

export interface ChecklistItem {
  rule: string;
  satisfied: boolean;
  detail: string;
}

export class ClosureRulesUnmetError extends DomainError {
  override name = 'ClosureRulesUnmetError';
  constructor(readonly checklist: ChecklistItem[]) {
    super(
      `The ticket cannot be closed yet: ${checklist
        .filter((i) => !i.satisfied)
        .map((i) => i.detail)
        .join('; ')}`,
    );
  }
}

/** Bad arguments to a query (queries have no result union): a GraphQL error with a stable code. */
export function badInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } });
}
