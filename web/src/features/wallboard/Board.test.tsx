// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFragmentData } from '../../gql/fragment-masking';
import type { Board_WallboardFragmentFragment } from '../../gql/graphql';
import { Board, Board_WallboardFragment } from './Board';

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();

const ticket = (
  number: string,
  dueIn: number,
  extra: Partial<Board_WallboardFragmentFragment['atRisk'][number]> = {},
) => ({
  __typename: 'WallboardTicket' as const,
  ticketId: `id-${number}`,
  number,
  title: `Title of ${number}`,
  priority: 'P2' as const,
  status: 'IN_PROGRESS',
  target: 'RESOLUTION',
  dueAt: at(dueIn),
  breachedAt: null,
  groupName: 'Network Operations',
  organizationName: 'Acme',
  ...extra,
});

function board(patch: Partial<Board_WallboardFragmentFragment> = {}): Board_WallboardFragmentFragment {
  return {
    generatedAt: at(0),
    openTotal: 7,
    backlogByPriority: (['P1', 'P2', 'P3', 'P4', 'P5'] as const).map((priority, i) => ({
      __typename: 'BacklogByPriority',
      priority,
      count: i,
    })),
    backlogByGroup: [{ groupId: 'g1', name: 'Network Operations', count: 7 }],
    aging: [{ key: 'd0', label: '< 1 d', count: 7 }],
    atRisk: [ticket('INC-2', 600)],
    breached: [ticket('INC-1', -65, { priority: 'P1', breachedAt: at(-65) })],
    unacknowledgedEscalations: [
      {
        escalationId: 'e1',
        ticketId: 'id-INC-1',
        number: 'INC-1',
        kind: 'HIERARCHICAL',
        level: 2,
        target: 'Marco Rossi',
        createdAt: at(-12 * 60),
      },
    ],
    today: {
      created: 3,
      resolved: 2,
      meanResolutionSeconds: 5400,
      firstContactResolutionRate: 0.5,
      firstResponseCompliance: 0.9,
      resolutionCompliance: 0.8,
      csatAverage: 4.25,
      csatResponseRate: 0.4,
    },
    trend: [{ day: '2026-12-04', created: 3, resolved: 2 }],
    ...patch,
  };
}

const show = (data: Board_WallboardFragmentFragment, now = NOW) =>
  render(<Board board={makeFragmentData(data, Board_WallboardFragment)} serverNow={now} />);

describe('Board', () => {
  afterEach(cleanup);

  it('says breached and at risk with shape, word and time, not colour alone', () => {
    show(board());
    const watch = screen.getByTestId('sla-watch');
    const breached = watch.querySelector('[data-ticket="INC-1"]') as HTMLElement;
    expect(breached.dataset.state).toBe('breached');
    expect(breached.textContent).toContain('▲');
    expect(breached.textContent).toContain('Breached');
    expect(breached.textContent).toContain('+1:05');
    const atRisk = watch.querySelector('[data-ticket="INC-2"]') as HTMLElement;
    expect(atRisk.dataset.state).toBe('at-risk');
    expect(atRisk.textContent).toContain('◆');
    expect(atRisk.textContent).toContain('Due in10:00');
  });

  it('shows today’s KPIs in short figures', () => {
    show(board());
    expect(screen.getByTestId('tile-breached').textContent).toBe('Breached1▲SLA overdue');
    expect(screen.getByTestId('tile-at-risk').textContent).toContain('1');
    expect(screen.getByTestId('tile-sla').textContent).toBe('SLA met80%▲FR 90% · RES 80%');
    expect(screen.getByTestId('tile-resolution-time').textContent).toContain('1.5 h');
    expect(screen.getByTestId('tile-fcr').textContent).toContain('50%');
    expect(screen.getByTestId('tile-csat').textContent).toContain('4.3');
    expect(within(screen.getByTestId('escalations')).getByText('INC-1')).toBeTruthy();
    expect(screen.getByTestId('escalations').textContent).toContain('12 min');
  });

  it('turns an at-risk row breached in place when its countdown runs out', () => {
    show(board(), NOW + 601_000);
    const row = screen.getByTestId('sla-watch').querySelector('[data-ticket="INC-2"]') as HTMLElement;
    expect(row.dataset.state).toBe('breached');
    expect(screen.getByTestId('tile-breached').textContent).toContain('2');
  });

  it('keeps the same slots whatever the data, summarising what does not fit', () => {
    const many = Array.from({ length: 12 }, (_, i) => ticket(`INC-${100 + i}`, 60 * (i + 1)));
    const view = show(board({ atRisk: many, breached: [] }));
    const slots = () => screen.getByTestId('sla-watch').children.length;
    const before = slots();
    expect(screen.getByTestId('sla-watch').textContent).toContain(`+ ${12 - (before - 1)} more`);
    view.rerender(
      <Board
        board={makeFragmentData(board({ atRisk: many.slice(0, 2), breached: [] }), Board_WallboardFragment)}
        serverNow={NOW}
      />,
    );
    expect(slots()).toBe(before);
  });

  it('says when nothing is wrong', () => {
    show(board({ atRisk: [], breached: [], unacknowledgedEscalations: [] }));
    expect(screen.getByTestId('sla-watch').textContent).toContain('No SLA target breached or due within 2 h');
    expect(screen.getByTestId('escalations').textContent).toContain('None waiting');
    expect(screen.getByTestId('tile-breached').textContent).toBe('Breached0●SLA overdue');
  });
});
