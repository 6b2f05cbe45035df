import type { TicketClass } from '../../generated/prisma/enums.js';

export interface VerifiableTicket {
  class: TicketClass;
  description: string;
  serviceId: string | null;
  category: string | null;
}

/**
 * Initial verification (step 1 of the process): what the service desk needs before it can work a ticket of each
 * class. The result is stored on the ticket as `missingInformation` and can be requested from the customer at once.
 */
export function missingInformation(ticket: VerifiableTicket): string[] {
  const missing: string[] = [];
  const needsService: TicketClass[] = ['INCIDENT', 'SERVICE_REQUEST', 'ACCESS_REQUEST', 'CHANGE_INQUIRY'];
  if (needsService.includes(ticket.class) && !ticket.serviceId) missing.push('affected service');
  if (ticket.description.trim().length < 20) missing.push('a description of at least 20 characters');
  if (ticket.class === 'ACCESS_REQUEST' && !/\b(access|role|permission|group|account)\b/i.test(ticket.description)) {
    missing.push('which access, role or group is requested');
  }
  if (ticket.class === 'CHANGE_INQUIRY' && !ticket.category) missing.push('category of the change');
  return missing;
}
