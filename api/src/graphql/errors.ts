import { builder } from '../builder.js';
import {
  type ChecklistItem,
  ClosureRulesUnmetError,
  ConflictError,
  type FieldIssue,
  IdempotencyKeyReusedError,
  InvalidCredentialsError,
  InvalidTransitionError,
  NotFoundError,
  TooManyAttemptsError,
  ValidationError,
} from '../errors.js';

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'An expected failure of a mutation. Nothing was changed.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
  fields: (t) => ({ entity: t.exposeString('entity'), ref: t.exposeString('ref') }),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'Someone else changed the object since you read it; re-read and retry.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ConflictError,
  fields: (t) => ({ currentVersion: t.exposeInt('currentVersion', { nullable: true }) }),
});

const FieldErrorRef = builder.objectRef<FieldIssue>('FieldError').implement({
  fields: (t) => ({
    path: t.exposeStringList('path', { description: 'Path of the offending input field, e.g. ["input", "email"].' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({ fieldErrors: t.field({ type: [FieldErrorRef], resolve: (err) => err.fieldErrors }) }),
});

builder.objectType(InvalidCredentialsError, {
  name: 'InvalidCredentialsError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidCredentialsError,
});

builder.objectType(TooManyAttemptsError, {
  name: 'TooManyAttemptsError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof TooManyAttemptsError,
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
});

builder.objectType(InvalidTransitionError, {
  name: 'InvalidTransitionError',
  description: 'The workflow does not allow this move; `allowed` lists the statuses reachable from `from`.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidTransitionError,
  fields: (t) => ({
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    allowed: t.stringList({ resolve: (e) => [...e.allowed] }),
  }),
});

builder.objectType(IdempotencyKeyReusedError, {
  name: 'IdempotencyKeyReusedError',
  description: 'The idempotency key was used before for a different request; nothing was created.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof IdempotencyKeyReusedError,
  fields: (t) => ({ existingTicketNumber: t.exposeString('existingTicketNumber') }),
});

export const ClosureItemRef = builder.objectRef<ChecklistItem>('ClosureRule').implement({
  description: 'One closure rule: RESOLVED, DOCUMENTED, CUSTOMER_INFORMED, SOLUTION_VALIDATED, LINKED_TICKETS_UPDATED.',
  fields: (t) => ({
    rule: t.exposeString('rule'),
    satisfied: t.exposeBoolean('satisfied'),
    detail: t.exposeString('detail'),
  }),
});

builder.objectType(ClosureRulesUnmetError, {
  name: 'ClosureRulesUnmetError',
  description: 'Closing needs every closure rule satisfied; the checklist says what is missing.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ClosureRulesUnmetError,
  fields: (t) => ({ checklist: t.field({ type: [ClosureItemRef], resolve: (e) => e.checklist }) }),
});
