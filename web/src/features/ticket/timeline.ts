import { humanize, LEVEL_LABEL, PRIORITY_LABEL, STATUS_LABEL } from '../tickets/labels';

/**
 * One ticket's history as agents read it: the work log, status changes, assignments with their reasons,
 * escalations, SLA events and every other audited change, oldest first. Built from the sources that say the most
 * about each kind of change (the assignment log has the reasons, the escalation records have targets and
 * acknowledgements); the audit fills in everything else, and stays available unabridged in the audit view.
 */
export type TimelineKind =
  | 'created'
  | 'public'
  | 'internal'
  | 'status'
  | 'assignment'
  | 'escalation'
  | 'sla'
  | 'mail'
  | 'change';

export interface TimelineItem {
  key: string;
  at: string;
  kind: TimelineKind;
  title: string;
  /** Who did it; null for the system. */
  actor: string | null;
  /** The text of a reply or note. */
  body?: string;
  /** Why (a reason recorded with the change). */
  detail?: string | null;
  /** Something needs attention (a breach, an overdue escalation). */
  alert?: boolean;
}

interface UserRef {
  id: string;
  name: string;
}

export interface TimelineInput {
  entries: readonly {
    id: string;
    kind: string;
    internal: boolean;
    body: string;
    createdAt: string;
    vendorRef?: string | null;
    channel?: string;
    author?: UserRef | null;
  }[];
  audit: readonly {
    seq: number;
    action: string;
    field?: string | null;
    oldValue?: string | null;
    newValue?: string | null;
    reason?: string | null;
    createdAt: string;
    actorId?: string | null;
    channel?: string;
  }[];
  assignmentLog?: readonly {
    id: string;
    createdAt: string;
    trigger: string;
    outcome: string;
    reason: string;
    actor?: UserRef | null;
    toGroup?: { name: string } | null;
    toAssignee?: { name: string } | null;
  }[];
  escalations?: readonly {
    id: string;
    kind: string;
    level: number;
    reason: string;
    detail: string;
    createdAt: string;
    createdBy?: UserRef | null;
    targetGroup?: { name: string } | null;
    targetUser?: { name: string } | null;
    targetRole?: string | null;
    vendorName?: string | null;
    vendorRef?: string | null;
    acknowledgedAt?: string | null;
    acknowledgedBy?: UserRef | null;
    acknowledgement?: string | null;
    resolvedAt?: string | null;
    resolvedBy?: UserRef | null;
    resolution?: string | null;
    overdue?: boolean;
  }[];
  /** Notifications mailed about the ticket (the record that the customer was informed). */
  mail?: readonly {
    id: string;
    kind: string;
    subject: string;
    to: string;
    status: string;
    createdAt: string;
    sentAt?: string | null;
    lastError?: string | null;
  }[];
  /** Every user object the ticket mentions, to name the audit's actors (it records raw ids). */
  people?: readonly (UserRef | null | undefined)[];
}

/** Relay global IDs are base64("Type:uuid"); the audit records the uuid. */
export function decodeGlobalId(id: string): { type: string; id: string } | null {
  try {
    const decoded = atob(id);
    const colon = decoded.indexOf(':');
    return colon > 0 ? { type: decoded.slice(0, colon), id: decoded.slice(colon + 1) } : null;
  } catch {
    return null;
  }
}

const ENTRY_TITLE: Record<string, string> = {
  PUBLIC_REPLY: 'Public reply',
  PROGRESS_UPDATE: 'Progress update',
  INTERNAL_NOTE: 'Internal note',
  INFORMATION_REQUEST: 'Information requested from the customer',
  RESOLUTION_NOTICE: 'Resolution notice sent',
  VENDOR_REFERENCE: 'Vendor reference',
};

const ASSIGNMENT_ACTIONS = new Set([
  'routed',
  'auto_assigned',
  'assigned',
  'assignment_pinned',
  'assignment_evaluated',
]);
const ESCALATION_ACTIONS = new Set([
  'escalated',
  'escalation_acknowledged',
  'escalation_resolved',
  'escalation_unacknowledged',
  'escalations_resolved',
]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parse(value: string | null | undefined): unknown {
  if (value === null || value === undefined) return null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

const VALUE_LABELS: Record<string, string> = { ...STATUS_LABEL, ...PRIORITY_LABEL, ...LEVEL_LABEL };

/** A short rendering of an audited value, or null when it is an id or a structure that says nothing to a person. */
function show(value: unknown, names: Map<string, string>): string | null {
  if (value === null || value === undefined || value === '') return '(none)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    if (UUID.test(value)) return names.get(value) ?? null;
    if (/^P[1-5]$/.test(value)) return value;
    return VALUE_LABELS[value] ? VALUE_LABELS[value] : value.length > 80 ? `${value.slice(0, 77)}…` : value;
  }
  return null;
}

function fromAudit(
  a: TimelineInput['audit'][number],
  actorName: (id: string | null | undefined) => string | null,
  names: Map<string, string>,
): TimelineItem | null {
  const base = { key: `audit-${a.seq}`, at: a.createdAt, actor: actorName(a.actorId), detail: a.reason ?? null };
  const oldValue = parse(a.oldValue);
  const newValue = parse(a.newValue);
  switch (a.action) {
    case 'created': {
      const channel = (newValue as { channel?: string } | null)?.channel ?? a.channel;
      return {
        ...base,
        kind: 'created',
        title: `Ticket logged${channel ? ` via ${humanize(channel).toLowerCase()}` : ''}`,
      };
    }
    case 'status_changed':
      return {
        ...base,
        kind: 'status',
        title: `Status: ${show(oldValue, names) ?? '?'} → ${show(newValue, names) ?? '?'}`,
      };
    case 'sla_breached':
      return { ...base, kind: 'sla', title: 'SLA breached', alert: true };
    case 'sla_warning':
      return { ...base, kind: 'sla', title: 'SLA warning' };
    case 'first_response':
      return { ...base, kind: 'sla', title: 'First response given' };
    case 'sla_updated':
      return { ...base, kind: 'sla', title: 'SLA clocks updated' };
    case 'resolution_confirmed':
      return { ...base, kind: 'status', title: 'Solution confirmed' };
    case 'resolution_rejected':
      return { ...base, kind: 'status', title: 'Solution rejected', alert: true };
    case 'linked': {
      const link = newValue as { kind?: string; to?: string } | null;
      return {
        ...base,
        kind: 'change',
        title: link?.to ? `Linked: ${humanize(link.kind ?? 'related').toLowerCase()} ${link.to}` : 'Linked',
      };
    }
    default: {
      const from = show(oldValue, names);
      const to = show(newValue, names);
      const field = a.field ? humanize(a.field) : null;
      const change =
        field && to !== null ? `${field}: ${from !== null && a.oldValue != null ? `${from} → ` : ''}${to}` : null;
      const title = humanize(a.action);
      return {
        ...base,
        kind: 'change',
        title: change && !title.toLowerCase().includes('changed') ? `${title} (${change})` : (change ?? title),
      };
    }
  }
}

export function buildTimeline(input: TimelineInput): TimelineItem[] {
  const names = new Map<string, string>();
  const remember = (u: UserRef | null | undefined) => {
    if (!u) return;
    const decoded = decodeGlobalId(u.id);
    names.set(decoded?.id ?? u.id, u.name);
  };
  for (const p of input.people ?? []) remember(p);
  for (const e of input.entries) remember(e.author);
  for (const d of input.assignmentLog ?? []) remember(d.actor);
  for (const e of input.escalations ?? []) {
    remember(e.createdBy);
    remember(e.acknowledgedBy);
    remember(e.resolvedBy);
  }
  const actorName = (id: string | null | undefined) => (id ? (names.get(id) ?? 'Someone') : null);

  const items: TimelineItem[] = [];
  for (const e of input.entries) {
    items.push({
      key: `entry-${e.id}`,
      at: e.createdAt,
      kind: e.internal ? 'internal' : 'public',
      title: ENTRY_TITLE[e.kind] ?? humanize(e.kind),
      actor: e.author?.name ?? null,
      body: e.body,
      detail: e.vendorRef ? `Vendor reference ${e.vendorRef}` : null,
    });
  }

  const hasAssignmentLog = (input.assignmentLog?.length ?? 0) > 0;
  for (const d of input.assignmentLog ?? []) {
    const to = [d.toAssignee?.name, d.toGroup?.name ? `(${d.toGroup.name})` : null].filter(Boolean).join(' ');
    const title =
      d.outcome === 'QUEUED'
        ? `Queued for ${d.toGroup?.name ?? 'a group'}`
        : d.outcome === 'UNROUTED'
          ? 'No routing rule matched'
          : d.outcome === 'KEPT'
            ? 'Assignment re-evaluated, unchanged'
            : `Assigned to ${to || 'nobody'}`;
    items.push({
      key: `assign-${d.id}`,
      at: d.createdAt,
      kind: 'assignment',
      title: `${title} · ${humanize(d.trigger).toLowerCase()}`,
      actor: d.actor?.name ?? null,
      detail: d.reason,
    });
  }

  const hasEscalations = (input.escalations?.length ?? 0) > 0;
  for (const e of input.escalations ?? []) {
    const target =
      e.targetUser?.name ?? e.targetGroup?.name ?? e.vendorName ?? (e.targetRole ? humanize(e.targetRole) : 'nobody');
    items.push({
      key: `esc-${e.id}`,
      at: e.createdAt,
      kind: 'escalation',
      title: `Escalated (${humanize(e.kind).toLowerCase()}, level ${e.level}) to ${target}`,
      actor: e.createdBy?.name ?? null,
      detail: e.detail,
      alert: e.overdue && !e.acknowledgedAt,
    });
    if (e.acknowledgedAt) {
      items.push({
        key: `esc-ack-${e.id}`,
        at: e.acknowledgedAt,
        kind: 'escalation',
        title: `Escalation acknowledged${e.vendorRef ? ` (vendor ref ${e.vendorRef})` : ''}`,
        actor: e.acknowledgedBy?.name ?? null,
        detail: e.acknowledgement ?? null,
      });
    }
    if (e.resolvedAt) {
      items.push({
        key: `esc-res-${e.id}`,
        at: e.resolvedAt,
        kind: 'escalation',
        title: 'Escalation resolved',
        actor: e.resolvedBy?.name ?? null,
        detail: e.resolution ?? null,
      });
    }
  }

  for (const m of input.mail ?? []) {
    const failed = m.status === 'FAILED';
    items.push({
      key: `mail-${m.id}`,
      at: m.sentAt ?? m.createdAt,
      kind: 'mail',
      title: `Mail to ${m.to}: ${m.subject}`,
      actor: null,
      detail: `${humanize(m.kind)} · ${
        m.status === 'LOCAL' ? 'in the local outbox' : humanize(m.status).toLowerCase()
      }${failed && m.lastError ? `: ${m.lastError}` : ''}`,
      alert: failed,
    });
  }

  for (const a of input.audit) {
    if (a.action === 'entry_added') continue;
    if (hasAssignmentLog && ASSIGNMENT_ACTIONS.has(a.action)) continue;
    if (hasEscalations && ESCALATION_ACTIONS.has(a.action)) continue;
    const item = fromAudit(a, actorName, names);
    if (item) items.push(item);
  }

  // Stable: "logged" opens the story, and same-instant items keep source order (routed → assigned …).
  return items
    .map((item, index) => ({ item, index, t: Date.parse(item.at), rank: item.kind === 'created' ? 0 : 1 }))
    .sort((a, b) => a.t - b.t || a.rank - b.rank || a.index - b.index)
    .map((x) => x.item);
}

export type TimelineFilter = 'all' | 'conversation' | 'changes';

export function filterTimeline(items: TimelineItem[], filter: TimelineFilter): TimelineItem[] {
  if (filter === 'all') return items;
  const conversation = (i: TimelineItem) => i.kind === 'public' || i.kind === 'internal';
  return items.filter((i) => (filter === 'conversation' ? conversation(i) : !conversation(i)));
}
