import { type FragmentType, getFragmentData } from '../../gql/fragment-masking';
import { graphql } from '../../gql/gql';

export const CurrentUser_UserFragment = graphql(`
  fragment CurrentUser_UserFragment on User {
    name
    email
    role
    organization {
      id
      name
      kind
    }
  }
`);

const ROLE_LABEL: Record<string, string> = {
  CUSTOMER: 'Customer',
  AGENT: 'Agent',
  LEAD: 'Team lead',
  MANAGER: 'Manager',
  ADMIN: 'Administrator',
};

export function CurrentUser(props: { user: FragmentType<typeof CurrentUser_UserFragment> }) {
  const user = getFragmentData(CurrentUser_UserFragment, props.user);
  return (
    <section className="card" aria-labelledby="current-user-name">
      <h2 id="current-user-name" className="card__title" data-testid="current-user-name">
        {user.name}
      </h2>
      <dl className="facts">
        <div>
          <dt>Role</dt>
          <dd data-testid="current-user-role">{ROLE_LABEL[user.role] ?? user.role}</dd>
        </div>
        <div>
          <dt>Organization</dt>
          <dd data-testid="current-user-org">{user.organization.name}</dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd>{user.email}</dd>
        </div>
      </dl>
    </section>
  );
}
