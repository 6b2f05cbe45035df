import { useId } from 'react';
import { type FragmentType, getFragmentData } from '../../gql/fragment-masking';
import { graphql } from '../../gql/gql';
import { useNow } from '../../lib/time';
import { SlaBadge } from '../tickets/Badges';
import { SLA_TARGET_LABEL } from '../tickets/labels';
import { slaStanding } from '../tickets/sla';

const SlaTargetFields = graphql(`
  fragment SlaPanel_SlaTargetFragment on SlaTarget {
    kind
    state
    dueAt
    dueLabel
    targetSeconds
    percentUsed
    pauseReason
    breachedAt
    metAt
    cycle
    breachCount
    explanation {
      summary
      steps {
        kind
        text
        from
        to
      }
    }
  }
`);

export const SlaPanel_TicketFragment = graphql(`
  fragment SlaPanel_TicketFragment on Ticket {
    sla {
      breached
      policyName
      firstResponse {
        ...SlaPanel_SlaTargetFragment
      }
      nextUpdate {
        ...SlaPanel_SlaTargetFragment
      }
      resolution {
        ...SlaPanel_SlaTargetFragment
      }
    }
  }
`);

function Target({ target, now }: { target: FragmentType<typeof SlaTargetFields>; now: number }) {
  const t = getFragmentData(SlaTargetFields, target);
  const id = useId();
  if (t.state === 'NOT_APPLICABLE') return null;
  const standing = slaStanding(t, now);
  const percent = Math.max(0, Math.min(100, t.percentUsed ?? 0));
  return (
    <li className={`sla-target sla-target--${standing.tone}`} data-target={t.kind} data-sla-tone={standing.tone}>
      <div className="sla-target__row">
        <span className="sla-target__name">
          {SLA_TARGET_LABEL[t.kind] ?? t.kind}
          {t.kind === 'NEXT_UPDATE' && t.cycle ? ` (cycle ${t.cycle})` : ''}
        </span>
        <SlaBadge standing={standing} />
      </div>
      {t.dueLabel ? <p className="sla-target__due">Due {t.dueLabel}</p> : null}
      {t.pauseReason && t.state === 'PAUSED' ? <p className="sla-target__due">Paused: {t.pauseReason}</p> : null}
      {standing.tone !== 'done' && standing.tone !== 'none' ? (
        // biome-ignore lint/a11y/useSemanticElements: a native <meter> cannot be styled alike across browsers; the role says the same.
        <div
          className="meter"
          role="meter"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(percent)}
          aria-label={`${SLA_TARGET_LABEL[t.kind] ?? t.kind}: ${Math.round(percent)} % of the target used`}
        >
          <span className="meter__fill" style={{ width: `${percent}%` }} />
        </div>
      ) : null}
      {t.explanation ? (
        <details className="sla-target__why">
          <summary id={id}>Why this due time</summary>
          <p>{t.explanation.summary}</p>
          <ol>
            {t.explanation.steps.map((s) => (
              <li key={`${s.kind}-${s.from}`}>{s.text}</li>
            ))}
          </ol>
        </details>
      ) : null}
    </li>
  );
}

export function SlaPanel(props: { ticket: FragmentType<typeof SlaPanel_TicketFragment> }) {
  const { sla } = getFragmentData(SlaPanel_TicketFragment, props.ticket);
  const now = useNow(1000);
  const id = useId();
  return (
    <section
      className={`card sla-panel${sla.breached ? ' sla-panel--breached' : ''}`}
      aria-labelledby={id}
      data-testid="sla-panel"
    >
      <h2 id={id} className="card__title">
        SLA {sla.breached ? <span className="tag tag--bad">▲ Breached</span> : null}
      </h2>
      <p className="muted">{sla.policyName ? `Policy: ${sla.policyName}` : 'No SLA policy applies.'}</p>
      <ul className="sla-targets">
        <Target target={sla.firstResponse} now={now} />
        <Target target={sla.nextUpdate} now={now} />
        <Target target={sla.resolution} now={now} />
      </ul>
    </section>
  );
}
