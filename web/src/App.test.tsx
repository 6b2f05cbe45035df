import { describe, expect, it } from 'vitest';
import { resolveRoute } from './App';

describe('route table', () => {
  it('sends literal paths before parameterised ones', () => {
    const newTicket = resolveRoute('/tickets/new');
    const ticket = resolveRoute('/tickets/INC-000001');
    expect(newTicket?.params).toEqual({});
    expect(ticket?.params).toEqual({ number: 'INC-000001' });
    expect(newTicket?.Page).not.toBe(ticket?.Page);
  });

  it('knows the workspace, the board and the public mail links, and nothing else', () => {
    for (const path of ['/', '/login', '/wallboard', '/kpis', '/responsibility', '/survey', '/resolution']) {
      expect(resolveRoute(path), path).not.toBeNull();
    }
    expect(resolveRoute('/admin')).toBeNull();
  });
});
