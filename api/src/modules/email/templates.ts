import type { MailTemplateKey } from '../../generated/prisma/enums.js';

/**
 * Mail templates: `{{name}}` inserts a value, `{{#name}}…{{/name}}` keeps its content only when the value is
 * non-empty, `{{^name}}…{{/name}}` only when it is empty. Values are plain text (the HTML part escapes them), so a
 * ticket title can never inject markup. Unknown names are refused when an admin saves a template.
 */

export const TEMPLATE_VARIABLES = {
  'ticket.number': 'Ticket number, e.g. INC-000123',
  'ticket.title': 'Title',
  'ticket.status': 'Status',
  'ticket.priority': 'Priority (P1-P5)',
  'ticket.class': 'Class',
  'ticket.createdAt': 'When the ticket was logged',
  'ticket.missingInformation': 'What initial verification found missing',
  'ticket.link': 'Link to the ticket in the portal',
  'requester.name': 'Requester name',
  'recipient.name': 'Name of the person the mail is for',
  'assignee.name': 'Assigned agent',
  'entry.author': 'Author of the work-log entry the mail carries',
  'entry.body': 'Text of that entry',
  'update.text': 'What changed (status updates)',
  'resolution.code': 'Resolution code',
  'resolution.notes': 'Resolution notes',
  'resolution.autoCloseDays': 'Days after which an unanswered resolution counts as accepted',
  'links.confirm': 'Link: the solution works (no login)',
  'links.reject': 'Link: the problem is not solved (no login)',
  'links.survey': 'Link: satisfaction survey (no login)',
  'sla.firstResponseDue': 'First-response due time (when an SLA applies)',
  'sla.nextUpdateDue': 'Next status update due time (when an SLA applies)',
  'sla.resolutionDue': 'Resolution due time (when an SLA applies)',
  'escalation.level': 'Escalation level or target',
  'escalation.reason': 'Why the ticket is escalated',
} as const;

export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;
export type TemplateValues = Partial<Record<TemplateVariable, string | null | undefined>>;

export interface TemplateText {
  subject: string;
  body: string;
}

const SIGNATURE = '\n\n-- \nService Desk';

export const DEFAULT_TEMPLATES: Record<MailTemplateKey, TemplateText & { purpose: string }> = {
  ACKNOWLEDGEMENT: {
    purpose: 'Sent to the requester when a ticket is logged (any channel).',
    subject: '[{{ticket.number}}] Received: {{ticket.title}}',
    body: `Hello {{recipient.name}},

your request has been logged as {{ticket.number}} with priority {{ticket.priority}}.
{{#sla.firstResponseDue}}Our commitment: a first response by {{sla.firstResponseDue}}{{#sla.resolutionDue}}, resolution targeted by {{sla.resolutionDue}}{{/sla.resolutionDue}}.{{/sla.firstResponseDue}}{{^sla.firstResponseDue}}An engineer will respond as soon as possible.{{/sla.firstResponseDue}}
{{#ticket.missingInformation}}
To work on it we still need: {{ticket.missingInformation}}. Please reply to this message with the details.
{{/ticket.missingInformation}}
Reply to this message to add information; keep [{{ticket.number}}] in the subject.
{{#ticket.link}}Follow it online: {{ticket.link}}{{/ticket.link}}${SIGNATURE}`,
  },
  REPLY: {
    purpose: 'A public reply by the service desk.',
    subject: 'Re: [{{ticket.number}}] {{ticket.title}}',
    body: `Hello {{recipient.name}},

{{entry.author}} wrote on {{ticket.number}}:

{{entry.body}}

Status: {{ticket.status}}{{#sla.nextUpdateDue}}. Next update by {{sla.nextUpdateDue}}{{/sla.nextUpdateDue}}.${SIGNATURE}`,
  },
  STATUS_UPDATE: {
    purpose:
      'Status changes the customer should know about, progress updates, and the periodic update of high-priority tickets.',
    subject: '[{{ticket.number}}] Update: {{ticket.title}}',
    body: `Hello {{recipient.name}},

{{update.text}}
{{#entry.body}}
{{entry.body}}
{{/entry.body}}
Status: {{ticket.status}}{{#sla.nextUpdateDue}}. Next update by {{sla.nextUpdateDue}}{{/sla.nextUpdateDue}}.${SIGNATURE}`,
  },
  INFORMATION_REQUEST: {
    purpose: 'The service desk needs information from the customer; the ticket waits for the reply.',
    subject: '[{{ticket.number}}] Information needed: {{ticket.title}}',
    body: `Hello {{recipient.name}},

to continue working on {{ticket.number}} we need the following from you:

{{entry.body}}

Please reply to this message; the ticket waits for your answer.${SIGNATURE}`,
  },
  RESOLUTION_NOTICE: {
    purpose: 'The ticket is resolved; the customer confirms or rejects the solution.',
    subject: '[{{ticket.number}}] Resolved: {{ticket.title}}',
    body: `Hello {{recipient.name}},

{{ticket.number}} has been resolved ({{resolution.code}}).

{{resolution.notes}}

Does the solution work for you?
  Yes, it works:        {{links.confirm}}
  No, still a problem:  {{links.reject}}

Without an answer within {{resolution.autoCloseDays}} days the solution counts as accepted.${SIGNATURE}`,
  },
  CLOSURE: {
    purpose: 'The ticket is closed.',
    subject: '[{{ticket.number}}] Closed: {{ticket.title}}',
    body: `Hello {{recipient.name}},

{{ticket.number}} is now closed. If the problem comes back, reply to this message and we will pick it up again.${SIGNATURE}`,
  },
  ESCALATION_NOTICE: {
    purpose: 'Escalation to a manager or a vendor (queued by the escalation module).',
    subject: '[{{ticket.number}}] Escalation ({{escalation.level}}): {{ticket.title}}',
    body: `Hello {{recipient.name}},

{{ticket.number}} ({{ticket.priority}}, {{ticket.status}}) has been escalated to you: {{escalation.reason}}
{{#sla.resolutionDue}}Resolution due: {{sla.resolutionDue}}{{/sla.resolutionDue}}
{{#ticket.link}}{{ticket.link}}{{/ticket.link}}${SIGNATURE}`,
  },
  SURVEY: {
    purpose: 'Satisfaction survey after resolution (1-5 and a comment, no login).',
    subject: '[{{ticket.number}}] How did we do?',
    body: `Hello {{recipient.name}},

please tell us how satisfied you are with the handling of {{ticket.number}} ("{{ticket.title}}"). It takes ten seconds:

{{links.survey}}${SIGNATURE}`,
  },
  UPDATE_REMINDER: {
    purpose: 'To the assignee: a high-priority ticket is due a status update to the customer.',
    subject: '[{{ticket.number}}] Status update due: {{ticket.title}}',
    body: `Hello {{recipient.name}},

{{ticket.number}} ({{ticket.priority}}) is due a status update to the customer{{#sla.nextUpdateDue}} by {{sla.nextUpdateDue}}{{/sla.nextUpdateDue}}.
{{update.text}}
{{#ticket.link}}{{ticket.link}}{{/ticket.link}}${SIGNATURE}`,
  },
};

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'var'; name: string }
  | { kind: 'section'; name: string; inverted: boolean; children: Node[] };

export class TemplateSyntaxError extends Error {}

function parse(template: string): Node[] {
  const root: Node[] = [];
  const stack: { name: string; children: Node[] }[] = [{ name: '', children: root }];
  const re = /\{\{\s*([#^/]?)\s*([a-zA-Z][\w.]*)\s*\}\}/g;
  let last = 0;
  for (const m of template.matchAll(re)) {
    const top = stack[stack.length - 1]!;
    if (m.index! > last) top.children.push({ kind: 'text', text: template.slice(last, m.index) });
    last = m.index! + m[0].length;
    const [, sigil, name] = m as unknown as [string, string, string];
    if (sigil === '#' || sigil === '^') {
      const node: Node = { kind: 'section', name, inverted: sigil === '^', children: [] };
      top.children.push(node);
      stack.push({ name, children: node.children });
    } else if (sigil === '/') {
      if (stack.length === 1 || top.name !== name) throw new TemplateSyntaxError(`{{/${name}}} closes nothing open`);
      stack.pop();
    } else {
      top.children.push({ kind: 'var', name });
    }
  }
  if (stack.length > 1) throw new TemplateSyntaxError(`{{#${stack[stack.length - 1]!.name}}} is never closed`);
  if (last < template.length) root.push({ kind: 'text', text: template.slice(last) });
  return root;
}

function names(nodes: Node[], into = new Set<string>()): Set<string> {
  for (const n of nodes) {
    if (n.kind === 'var') into.add(n.name);
    if (n.kind === 'section') {
      into.add(n.name);
      names(n.children, into);
    }
  }
  return into;
}

/** Problems an admin must fix before a template is saved; empty when it is fine. */
export function templateProblems(text: TemplateText): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  for (const field of ['subject', 'body'] as const) {
    try {
      const unknown = [...names(parse(text[field]))].filter((n) => !(n in TEMPLATE_VARIABLES));
      if (unknown.length) {
        issues.push({ path: ['input', field], message: `Unknown placeholder(s): ${unknown.join(', ')}` });
      }
    } catch (err) {
      issues.push({ path: ['input', field], message: (err as Error).message });
    }
  }
  if (!text.subject.trim() || text.subject.length > 300) {
    issues.push({ path: ['input', 'subject'], message: 'Use 1 to 300 characters' });
  }
  if (/[\r\n]/.test(text.subject)) issues.push({ path: ['input', 'subject'], message: 'A subject is one line' });
  if (!text.body.trim() || text.body.length > 20_000) {
    issues.push({ path: ['input', 'body'], message: 'Use 1 to 20,000 characters' });
  }
  return issues;
}

function evaluate(nodes: Node[], values: TemplateValues): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'var') out += values[n.name as TemplateVariable] ?? '';
    else {
      const present = !!values[n.name as TemplateVariable]?.toString().trim();
      if (present !== n.inverted) out += evaluate(n.children, values);
    }
  }
  return out;
}

export function renderTemplate(template: TemplateText, values: TemplateValues): TemplateText {
  const subject = evaluate(parse(template.subject), values)
    .replace(/[\r\n]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const body = evaluate(parse(template.body), values)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    // The signature delimiter is "-- " with its space (RFC 3676), so clients can fold the signature away.
    .replace(/^--$/m, '-- ');
  return { subject, body };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The HTML alternative of a rendered text body: escaped, paragraphs kept, links clickable. */
export function textToHtml(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
  const linked = escaped.replace(/\bhttps?:\/\/[^\s<>"']+/g, (url) => `<a href="${url}">${url}</a>`);
  const paragraphs = linked
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return `<!doctype html><html><body style="font-family:sans-serif;font-size:14px;line-height:1.4">\n${paragraphs}\n</body></html>`;
}

/** Due times in mail: unambiguous for every reader, whatever their time zone. */
export function formatWhen(date: Date | null | undefined): string | null {
  if (!date) return null;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
