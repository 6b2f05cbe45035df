import type { TicketStatus } from '../../generated/prisma/enums.js';

/**
 * The ticket state machine. RESOLVED → IN_PROGRESS is a reopen (or a rejected resolution); CLOSED → IN_PROGRESS is
 * allowed only inside the reopen window, which the service checks (past it a new linked ticket is created).
 */
export const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  NEW: ['ASSIGNED', 'IN_PROGRESS', 'PENDING_CUSTOMER', 'RESOLVED', 'CANCELLED'],
  ASSIGNED: ['IN_PROGRESS', 'PENDING_CUSTOMER', 'PENDING_VENDOR', 'RESOLVED', 'CANCELLED'],
  IN_PROGRESS: ['PENDING_CUSTOMER', 'PENDING_VENDOR', 'RESOLVED', 'CANCELLED'],
  PENDING_CUSTOMER: ['IN_PROGRESS', 'RESOLVED', 'CANCELLED'],
  PENDING_VENDOR: ['IN_PROGRESS', 'RESOLVED', 'CANCELLED'],
  RESOLVED: ['CLOSED', 'IN_PROGRESS'],
  CLOSED: ['IN_PROGRESS'],
  CANCELLED: [],
};

export const OPEN_STATUSES: readonly TicketStatus[] = [
  'NEW',
  'ASSIGNED',
  'IN_PROGRESS',
  'PENDING_CUSTOMER',
  'PENDING_VENDOR',
];

export function allowedTransitions(from: TicketStatus): readonly TicketStatus[] {
  return TRANSITIONS[from];
}

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TRANSITIONS[from].includes(to);
}
