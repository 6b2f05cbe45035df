import { type FormEvent, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  cellIndex,
  governanceActions,
  PARTIES,
  PARTY_ICON,
  PARTY_LABEL,
  ROLE_SHORT,
  raciLetters,
  SERVICE_MODEL_LABEL,
  SERVICE_MODELS,
} from '../../features/responsibility/matrix';
import { AgentShell } from '../../features/shell/AgentShell';
import { OutcomeMessage } from '../../features/ticket/OutcomeMessage';
import { interpretResult, type Outcome } from '../../features/ticket/outcome';
import { humanize } from '../../features/tickets/labels';
import { graphql } from '../../gql/gql';
import type {
  ResponsibilityMatrixViewQuery,
  ResponsibilityParty,
  ResponsibilityReviewReasonKind,
  ServiceModel,
} from '../../gql/graphql';
import { describeError } from '../../lib/errors';
import { navigate, useLocation } from '../../lib/router';

const MatrixQuery = graphql(`
  query ResponsibilityMatrixView($organizationId: ID, $version: Int, $standardOnly: Boolean) {
    responsibilityViewerCanGovern
    responsibilityRoles {
      role
      name
      description
      primaryGroup {
        id
        name
      }
    }
    organizations(kind: CUSTOMER, first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
    responsibilityMatrixVersions(organizationId: $organizationId, standardOnly: $standardOnly) {
      version
      status
      summary
      inEffect
      effectiveFrom
    }
    responsibilityMatrix(organizationId: $organizationId, version: $version) {
      version
      status
      summary
      providerName
      basedOnVersion
      inEffect
      effectiveFrom
      publishedAt
      reviewDueAt
      reviewOverdue
      decisionComment
      decidedAt
      decidedBy {
        id
        name
      }
      createdBy {
        id
        name
      }
      organization {
        id
        name
      }
      domains {
        key
        name
        description
        position
      }
      cells {
        serviceModel
        owner
        providerDuties
        customerDuties
        domain {
          key
        }
      }
      raci {
        accountable
        responsible
        consulted
        informed
        domain {
          key
        }
      }
      problems {
        path
        message
      }
      reasons {
        id
        kind
        detail
      }
    }
  }
`);

const DiffQuery = graphql(`
  query ResponsibilityMatrixChanges($from: Int!, $to: Int!) {
    responsibilityMatrixDiff(from: $from, to: $to) {
      identical
      cells {
        change
        fields
        serviceModel
        domain {
          key
          name
        }
        before {
          owner
        }
        after {
          owner
        }
      }
      raci {
        role
        before
        after
        domain {
          key
          name
        }
      }
    }
  }
`);

const DraftCreate = graphql(`
  mutation ResponsibilityDraftCreate($input: ResponsibilityMatrixDraftCreateInput!) {
    responsibilityMatrixDraftCreate(input: $input) {
      __typename
      ... on ResponsibilityMatrix {
        version
      }
      ... on Error {
        message
      }
      ... on ValidationError {
        fieldErrors {
          path
          message
        }
      }
    }
  }
`);

const DraftUpdate = graphql(`
  mutation ResponsibilityDraftUpdate($input: ResponsibilityMatrixDraftUpdateInput!) {
    responsibilityMatrixDraftUpdate(input: $input) {
      __typename
      ... on ResponsibilityMatrix {
        version
      }
      ... on Error {
        message
      }
      ... on ValidationError {
        fieldErrors {
          path
          message
        }
      }
    }
  }
`);

const Approve = graphql(`
  mutation ResponsibilityApprove($input: ResponsibilityMatrixApproveInput!) {
    responsibilityMatrixApprove(input: $input) {
      __typename
      ... on Error {
        message
      }
      ... on ValidationError {
        fieldErrors {
          path
          message
        }
      }
    }
  }
`);

const Reject = graphql(`
  mutation ResponsibilityReject($input: ResponsibilityMatrixRejectInput!) {
    responsibilityMatrixReject(input: $input) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

const Publish = graphql(`
  mutation ResponsibilityPublish($input: ResponsibilityMatrixPublishInput!) {
    responsibilityMatrixPublish(input: $input) {
      __typename
      ... on Error {
        message
      }
      ... on ValidationError {
        fieldErrors {
          path
          message
        }
      }
    }
  }
`);

type Matrix = NonNullable<ResponsibilityMatrixViewQuery['responsibilityMatrix']>;

const REASONS: ResponsibilityReviewReasonKind[] = [
  'PERIODIC',
  'NEW_SERVICE',
  'SERVICE_MODEL_CHANGE',
  'ROLE_CHANGE',
  'REGULATION',
  'AUDIT_LESSON',
  'INCIDENT_LESSON',
  'TECHNOLOGY_CHANGE',
];

/** Results of these mutations are the matrix itself (or an error type): success is any non-error typename. */
function outcomeOf(
  error: Parameters<typeof interpretResult>[0],
  result: { __typename?: string; message?: string } | null | undefined,
): Outcome {
  if (!error && result?.__typename === 'ResponsibilityMatrix') return { kind: 'ok' };
  return interpretResult(error, result);
}

function dateLabel(value: string | null | undefined) {
  return value ? new Date(value).toLocaleDateString(undefined, { dateStyle: 'medium' }) : '—';
}

function CellEditor({
  matrix,
  domain,
  model,
  onSaved,
}: {
  matrix: Matrix;
  domain: string;
  model: ServiceModel;
  onSaved: () => void;
}) {
  const id = useId();
  const cell = cellIndex(matrix.cells).get(domain)?.get(model);
  const [owner, setOwner] = useState<ResponsibilityParty>(cell?.owner ?? 'SHARED');
  const [providerDuties, setProvider] = useState(cell?.providerDuties ?? '');
  const [customerDuties, setCustomer] = useState(cell?.customerDuties ?? '');
  const [{ fetching }, update] = useMutation(DraftUpdate);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await update({
      input: {
        version: matrix.version,
        cells: [{ domain, serviceModel: model, owner, providerDuties, customerDuties }],
      },
    });
    const out = outcomeOf(result.error, result.data?.responsibilityMatrixDraftUpdate);
    setOutcome(out.kind === 'ok' ? { kind: 'ok', message: 'Saved' } : out);
    if (out.kind === 'ok') onSaved();
  };
  return (
    <form className="stack" onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor={`${id}-owner`}>Owner</label>
        <select id={`${id}-owner`} value={owner} onChange={(e) => setOwner(e.target.value as ResponsibilityParty)}>
          {PARTIES.map((p) => (
            <option key={p} value={p}>
              {PARTY_LABEL[p]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-p`}>Provider's duties</label>
        <textarea id={`${id}-p`} rows={2} value={providerDuties} onChange={(e) => setProvider(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-c`}>Customer's duties</label>
        <textarea id={`${id}-c`} rows={2} value={customerDuties} onChange={(e) => setCustomer(e.target.value)} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={fetching}>
          Save cell
        </button>
        <OutcomeMessage outcome={outcome} />
      </div>
    </form>
  );
}

function MatrixGrid({ matrix, editable, onSaved }: { matrix: Matrix; editable: boolean; onSaved: () => void }) {
  const index = cellIndex(matrix.cells);
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <div className="table-wrap card">
      <table className="matrix" data-testid="responsibility-matrix">
        <caption>
          Who carries each domain, by service model. {PARTY_ICON.PROVIDER} provider ({matrix.providerName}),{' '}
          {PARTY_ICON.SHARED} shared, {PARTY_ICON.CUSTOMER} customer.
        </caption>
        <thead>
          <tr>
            <th scope="col">Domain</th>
            {SERVICE_MODELS.map((m) => (
              <th key={m} scope="col">
                {SERVICE_MODEL_LABEL[m]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...matrix.domains]
            .sort((a, b) => a.position - b.position)
            .map((d) => (
              <tr key={d.key}>
                <th scope="row">
                  {d.name}
                  <span className="matrix__desc">{d.description}</span>
                </th>
                {SERVICE_MODELS.map((m) => {
                  const cell = index.get(d.key)?.get(m);
                  const key = `${d.key}:${m}`;
                  return (
                    <td
                      key={m}
                      className={cell ? `matrix__cell matrix__cell--${cell.owner.toLowerCase()}` : 'matrix__cell'}
                    >
                      {cell ? (
                        <>
                          <strong>
                            <span aria-hidden="true">{PARTY_ICON[cell.owner]} </span>
                            {PARTY_LABEL[cell.owner]}
                          </strong>
                          <details>
                            <summary>Duties</summary>
                            {cell.providerDuties ? (
                              <p>
                                <em>Provider:</em> {cell.providerDuties}
                              </p>
                            ) : null}
                            {cell.customerDuties ? (
                              <p>
                                <em>Customer:</em> {cell.customerDuties}
                              </p>
                            ) : null}
                          </details>
                        </>
                      ) : (
                        <span className="muted">not set</span>
                      )}
                      {editable ? (
                        editing === key ? (
                          <CellEditor matrix={matrix} domain={d.key} model={m} onSaved={onSaved} />
                        ) : (
                          <button
                            type="button"
                            className="button button--small button--link"
                            onClick={() => setEditing(key)}
                          >
                            Edit
                            <span className="visually-hidden">
                              {' '}
                              {d.name}, {SERVICE_MODEL_LABEL[m]}
                            </span>
                          </button>
                        )
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}

function RaciTable({ matrix, roles }: { matrix: Matrix; roles: ResponsibilityMatrixViewQuery['responsibilityRoles'] }) {
  if (!matrix.raci) return null;
  const byDomain = new Map(matrix.raci.map((r) => [r.domain.key, r]));
  return (
    <div className="table-wrap card">
      <table className="matrix matrix--raci">
        <caption>RACI of the organisational roles: Responsible, Accountable, Consulted, Informed.</caption>
        <thead>
          <tr>
            <th scope="col">Domain</th>
            {roles.map((r) => (
              <th key={r.role} scope="col" title={r.description}>
                {ROLE_SHORT[r.role] ?? r.name}
                {r.primaryGroup ? <span className="matrix__desc">{r.primaryGroup.name}</span> : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...matrix.domains]
            .sort((a, b) => a.position - b.position)
            .map((d) => (
              <tr key={d.key}>
                <th scope="row">{d.name}</th>
                {roles.map((r) => (
                  <td key={r.role} className="matrix__raci">
                    {raciLetters(byDomain.get(d.key), r.role) || <span className="muted">–</span>}
                  </td>
                ))}
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}

function Changes({ from, to }: { from: number; to: number }) {
  const [{ data }] = useQuery({ query: DiffQuery, variables: { from, to } });
  const diff = data?.responsibilityMatrixDiff;
  if (!diff) return null;
  return (
    <section className="card" aria-label={`Changes from version ${from}`}>
      <h2 className="card__title">Changes from version {from}</h2>
      {diff.identical ? <p className="muted">No changes yet.</p> : null}
      <ul>
        {diff.cells.map((c) => (
          <li key={`${c.domain.key}-${c.serviceModel}`}>
            {c.domain.name}, {SERVICE_MODEL_LABEL[c.serviceModel]}: {humanize(c.change).toLowerCase()}
            {c.before && c.after && c.before.owner !== c.after.owner
              ? ` (${PARTY_LABEL[c.before.owner]} → ${PARTY_LABEL[c.after.owner]})`
              : c.fields.length
                ? ` (${c.fields.join(', ')})`
                : ''}
          </li>
        ))}
        {(diff.raci ?? []).map((r) => (
          <li key={`${r.domain.key}-${r.role}`}>
            {r.domain.name}, {ROLE_SHORT[r.role]}: {r.before.map((l) => l[0]).join('') || '–'} →{' '}
            {r.after.map((l) => l[0]).join('') || '–'}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Governance({
  matrix,
  organizationId,
  onChanged,
}: {
  matrix: Matrix;
  organizationId: string | null;
  onChanged: (version?: number) => void;
}) {
  const id = useId();
  const actions = governanceActions(matrix.status);
  const [comment, setComment] = useState('');
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const [summary, setSummary] = useState('');
  const [reasonKind, setReasonKind] = useState<ResponsibilityReviewReasonKind>('PERIODIC');
  const [reasonDetail, setReasonDetail] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [, approve] = useMutation(Approve);
  const [, reject] = useMutation(Reject);
  const [, publish] = useMutation(Publish);
  const [, createDraft] = useMutation(DraftCreate);
  const done = (out: Outcome, message: string, version?: number) => {
    setOutcome(out.kind === 'ok' ? { kind: 'ok', message } : out);
    if (out.kind === 'ok') onChanged(version);
  };

  return (
    <section className="card" aria-labelledby={`${id}-t`}>
      <h2 id={`${id}-t`} className="card__title">
        Governance
      </h2>
      {actions.includes('approve') ? (
        <form className="stack" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor={`${id}-comment`}>Decision comment</label>
            <input id={`${id}-comment`} value={comment} onChange={(e) => setComment(e.target.value)} required />
          </div>
          <div className="form-actions">
            <button
              type="button"
              className="button button--primary"
              disabled={!comment.trim()}
              onClick={async () => {
                const r = await approve({ input: { version: matrix.version, comment } });
                done(outcomeOf(r.error, r.data?.responsibilityMatrixApprove), 'Approved');
              }}
            >
              Approve
            </button>
            <button
              type="button"
              className="button"
              disabled={!comment.trim()}
              onClick={async () => {
                const r = await reject({ input: { version: matrix.version, comment } });
                done(outcomeOf(r.error, r.data?.responsibilityMatrixReject), 'Rejected');
              }}
            >
              Reject
            </button>
          </div>
        </form>
      ) : null}
      {actions.includes('publish') ? (
        <form
          className="stack"
          onSubmit={async (e) => {
            e.preventDefault();
            const r = await publish({
              input: {
                version: matrix.version,
                effectiveFrom: effectiveFrom ? new Date(effectiveFrom).toISOString() : null,
              },
            });
            done(outcomeOf(r.error, r.data?.responsibilityMatrixPublish), 'Published');
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-from`}>In effect from (empty: now)</label>
            <input
              id={`${id}-from`}
              type="datetime-local"
              value={effectiveFrom}
              onChange={(e) => setEffectiveFrom(e.target.value)}
            />
          </div>
          <div className="form-actions">
            <button type="submit" className="button button--primary">
              Publish
            </button>
          </div>
        </form>
      ) : null}
      <form
        className="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await createDraft({
            input: {
              summary,
              organizationId,
              reasons: reasonDetail.trim() ? [{ kind: reasonKind, detail: reasonDetail.trim() }] : null,
            },
          });
          const created = r.data?.responsibilityMatrixDraftCreate;
          done(
            outcomeOf(r.error, created),
            'Draft created',
            created?.__typename === 'ResponsibilityMatrix' ? created.version : undefined,
          );
        }}
      >
        <h3 className="checklist__title">Start a review (new draft)</h3>
        <div className="field">
          <label htmlFor={`${id}-summary`}>What the new version changes</label>
          <input id={`${id}-summary`} value={summary} onChange={(e) => setSummary(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor={`${id}-kind`}>Why</label>
          <select
            id={`${id}-kind`}
            value={reasonKind}
            onChange={(e) => setReasonKind(e.target.value as ResponsibilityReviewReasonKind)}
          >
            {REASONS.map((k) => (
              <option key={k} value={k}>
                {humanize(k)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-detail`}>Details</label>
          <input id={`${id}-detail`} value={reasonDetail} onChange={(e) => setReasonDetail(e.target.value)} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={!summary.trim()}>
            Create draft
          </button>
        </div>
      </form>
      <OutcomeMessage outcome={outcome} />
    </section>
  );
}

function ResponsibilityView() {
  const id = useId();
  const { search } = useLocation();
  const organizationId = search.get('org') || null;
  const versionParam = Number(search.get('v'));
  const version = Number.isInteger(versionParam) && versionParam > 0 ? versionParam : null;
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: MatrixQuery,
    variables: { organizationId, version, standardOnly: organizationId ? null : true },
    requestPolicy: 'cache-and-network',
  });
  const go = (patch: { org?: string | null; v?: number | null }) => {
    const params = new URLSearchParams();
    const org = patch.org !== undefined ? patch.org : organizationId;
    const v = patch.v !== undefined ? patch.v : version;
    if (org) params.set('org', org);
    if (v) params.set('v', String(v));
    navigate(`/responsibility${params.size ? `?${params}` : ''}`, { replace: true });
  };
  const refresh = (v?: number) => {
    if (v) go({ v });
    reexecute({ requestPolicy: 'network-only' });
  };
  const matrix = data?.responsibilityMatrix;
  const canGovern = data?.responsibilityViewerCanGovern ?? false;

  return (
    <div className="kpis">
      <div className="kpis__head">
        <h1>Shared-responsibility matrix</h1>
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <div className="field field--inline">
            <label htmlFor={`${id}-scope`}>Matrix</label>
            <select
              id={`${id}-scope`}
              value={organizationId ?? ''}
              onChange={(e) => go({ org: e.target.value || null, v: null })}
            >
              <option value="">Standard</option>
              {data?.organizations.edges.map((o) => (
                <option key={o.node.id} value={o.node.id}>
                  {o.node.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field field--inline">
            <label htmlFor={`${id}-version`}>Version</label>
            <select
              id={`${id}-version`}
              value={version ?? ''}
              onChange={(e) => go({ v: e.target.value ? Number(e.target.value) : null })}
            >
              <option value="">In effect</option>
              {data?.responsibilityMatrixVersions.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version} · {humanize(v.status).toLowerCase()}
                  {v.inEffect ? ' · in effect' : ''}
                </option>
              ))}
            </select>
          </div>
        </form>
      </div>
      {error && !data ? (
        <div className="card card--error" role="alert">
          <p>{describeError(error)}</p>
        </div>
      ) : !data ? (
        <p role="status">{fetching ? 'Loading…' : ''}</p>
      ) : !matrix ? (
        <p className="card">No matrix is in effect for this scope yet.</p>
      ) : (
        <>
          <section className="card" aria-label="Version">
            <h2 className="card__title">
              Version {matrix.version} · {humanize(matrix.status)}
              {matrix.inEffect ? ' · in effect' : ''}
              {matrix.organization ? ` · ${matrix.organization.name}` : ' · standard'}
            </h2>
            <p>{matrix.summary}</p>
            <dl className="facts">
              <div>
                <dt>Effective from</dt>
                <dd>{dateLabel(matrix.effectiveFrom)}</dd>
              </div>
              <div>
                <dt>Review due</dt>
                <dd>
                  {dateLabel(matrix.reviewDueAt)}
                  {matrix.reviewOverdue ? <span className="tag tag--bad"> ▲ overdue</span> : null}
                </dd>
              </div>
              <div>
                <dt>Provider</dt>
                <dd>{matrix.providerName}</dd>
              </div>
              <div>
                <dt>Decision</dt>
                <dd>{matrix.decidedBy ? `${matrix.decidedBy.name}: ${matrix.decisionComment ?? ''}` : '—'}</dd>
              </div>
            </dl>
            {matrix.reasons?.length ? (
              <p className="muted">
                Reasons: {matrix.reasons.map((r) => `${humanize(r.kind)} (${r.detail})`).join('; ')}
              </p>
            ) : null}
            {matrix.problems?.length ? (
              <div className="notice" role="note">
                <strong>Not ready for approval:</strong>
                <ul>
                  {matrix.problems.map((p) => (
                    <li key={p.path.join('/')}>{p.message}</li>
                  ))}
                </ul>
              </div>
            ) : null}
          </section>
          <MatrixGrid
            key={matrix.version}
            matrix={matrix}
            editable={canGovern && matrix.status === 'DRAFT'}
            onSaved={() => refresh()}
          />
          <RaciTable matrix={matrix} roles={data.responsibilityRoles} />
          {matrix.basedOnVersion ? <Changes from={matrix.basedOnVersion} to={matrix.version} /> : null}
          {canGovern ? <Governance matrix={matrix} organizationId={organizationId} onChanged={refresh} /> : null}
        </>
      )}
    </div>
  );
}

export function ResponsibilityPage() {
  return (
    <AgentShell title="Responsibility matrix" wide>
      <ResponsibilityView />
    </AgentShell>
  );
}
