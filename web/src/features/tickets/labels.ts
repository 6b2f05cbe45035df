import type { Impact, Priority, TicketClass, TicketStatus, Urgency } from '../../gql/graphql';

export const OPEN_STATUSES: TicketStatus[] = ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'PENDING_CUSTOMER', 'PENDING_VENDOR'];
export const ALL_STATUSES: TicketStatus[] = [...OPEN_STATUSES, 'RESOLVED', 'CLOSED', 'CANCELLED'];
export const PRIORITIES: Priority[] = ['P1', 'P2', 'P3', 'P4', 'P5'];
export const CLASSES: TicketClass[] = [
  'INCIDENT',
  'SERVICE_REQUEST',
  'ACCESS_REQUEST',
  'INFORMATION_REQUEST',
  'CHANGE_INQUIRY',
  'OTHER',
];
export const LEVELS: Impact[] = ['HIGH', 'MEDIUM', 'LOW'];
export const URGENCIES: Urgency[] = ['HIGH', 'MEDIUM', 'LOW'];

export const STATUS_LABEL: Record<TicketStatus, string> = {
  NEW: 'New',
  ASSIGNED: 'Assigned',
  IN_PROGRESS: 'In progress',
  PENDING_CUSTOMER: 'Waiting on customer',
  PENDING_VENDOR: 'Waiting on vendor',
  RESOLVED: 'Resolved',
  CLOSED: 'Closed',
  CANCELLED: 'Cancelled',
};

export const CLASS_LABEL: Record<TicketClass, string> = {
  INCIDENT: 'Incident',
  SERVICE_REQUEST: 'Service request',
  ACCESS_REQUEST: 'Access request',
  INFORMATION_REQUEST: 'Information request',
  CHANGE_INQUIRY: 'Change-related inquiry',
  OTHER: 'Other',
};

export const PRIORITY_LABEL: Record<Priority, string> = {
  P1: 'Critical',
  P2: 'High',
  P3: 'Moderate',
  P4: 'Low',
  P5: 'Planning',
};

export const LEVEL_LABEL: Record<Impact | Urgency, string> = { HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' };

export const SLA_TARGET_LABEL: Record<string, string> = {
  FIRST_RESPONSE: 'First response',
  NEXT_UPDATE: 'Next update',
  RESOLUTION: 'Resolution',
};

export const RESOLUTION_CODES = ['FIXED', 'WORKAROUND', 'NO_FAULT_FOUND', 'DUPLICATE', 'USER_GUIDANCE'] as const;
export const RESOLUTION_CODE_LABEL: Record<(typeof RESOLUTION_CODES)[number], string> = {
  FIXED: 'Fixed',
  WORKAROUND: 'Workaround provided',
  NO_FAULT_FOUND: 'No fault found',
  DUPLICATE: 'Duplicate',
  USER_GUIDANCE: 'User guidance',
};

/** Turns an enum-ish value the UI has no label for ("PENDING_VENDOR", "sla_breached") into readable words. */
export function humanize(value: string): string {
  const words = value
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function label<K extends string>(map: Partial<Record<K, string>>, value: K | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return map[value as K] ?? humanize(value);
}
