import type { Priority, TicketStatus } from '../../gql/graphql';
import { PRIORITY_LABEL, STATUS_LABEL } from './labels';
import { SLA_ICON, SLA_WORD, type SlaStanding } from './sla';

export function PriorityBadge({ priority }: { priority: Priority }) {
  return (
    <span className={`prio prio--${priority}`} title={`${priority}: ${PRIORITY_LABEL[priority]}`}>
      {priority}
      <span className="visually-hidden"> {PRIORITY_LABEL[priority]}</span>
    </span>
  );
}

export function StatusBadge({ status }: { status: TicketStatus }) {
  return <span className={`status status--${status.toLowerCase()}`}>{STATUS_LABEL[status] ?? status}</span>;
}

/** Icon + word + time: readable without colour (▲ breached, ◆ at risk, ● on track, Ⅱ paused, ✓ met). */
export function SlaBadge({ standing, label }: { standing: SlaStanding; label?: string }) {
  return (
    <span className={`sla sla--${standing.tone}`} data-sla-tone={standing.tone}>
      <span className="sla__icon" aria-hidden="true">
        {SLA_ICON[standing.tone]}
      </span>
      <span className="visually-hidden">{SLA_WORD[standing.tone]}: </span>
      {label ? <span className="sla__label">{label}</span> : null}
      <span className="sla__text">{standing.text}</span>
    </span>
  );
}
