// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Link, loginPath, matchPath, navigate, Redirect, safeNext, useLocation } from './router';

function Where() {
  const { pathname, search } = useLocation();
  return <output data-testid="where">{`${pathname}?${search.toString()}`}</output>;
}

describe('safeNext', () => {
  it.each([
    ['/tickets/42?tab=sla#top', '/tickets/42?tab=sla#top'],
    ['/wallboard', '/wallboard'],
    [null, '/'],
    ['', '/'],
    ['https://evil.example/', '/'],
    ['//evil.example/path', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['/login?next=/login', '/'],
  ])('%s → %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  it('builds login links that come back to where the user was', () => {
    expect(loginPath('/')).toBe('/login');
    expect(loginPath('/tickets?q=a b')).toBe('/login?next=%2Ftickets%3Fq%3Da%2520b');
  });
});

describe('router', () => {
  beforeEach(() => {
    window.history.replaceState(null, '', '/');
    // jsdom implements neither scrolling nor leaving the document.
    window.scrollTo = () => {};
  });
  afterEach(cleanup);

  it('re-renders on navigate() and on Back', async () => {
    render(<Where />);
    expect(screen.getByTestId('where').textContent).toBe('/?');
    act(() => navigate('/wallboard?x=1'));
    expect(screen.getByTestId('where').textContent).toBe('/wallboard?x=1');
    await act(async () => {
      window.history.back();
      await new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
    });
    expect(screen.getByTestId('where').textContent).toBe('/?');
  });

  it('handles plain clicks on links in place and leaves modified clicks to the browser', () => {
    render(
      <>
        <Link to="/wallboard">Board</Link>
        <Where />
      </>,
    );
    const link = screen.getByRole('link', { name: 'Board' });
    expect(link.getAttribute('href')).toBe('/wallboard');
    const handledInPlace: boolean[] = [];
    const record = (event: Event) => {
      handledInPlace.push(event.defaultPrevented);
      event.preventDefault();
    };
    document.addEventListener('click', record);
    try {
      fireEvent.click(link, { ctrlKey: true });
      expect(screen.getByTestId('where').textContent).toBe('/?');
      fireEvent.click(link);
      expect(screen.getByTestId('where').textContent).toBe('/wallboard?');
    } finally {
      document.removeEventListener('click', record);
    }
    expect(handledInPlace).toEqual([false, true]);
  });

  it('redirects by replacing the history entry', () => {
    const before = window.history.length;
    render(
      <>
        <Redirect to="/login?next=%2F" />
        <Where />
      </>,
    );
    expect(screen.getByTestId('where').textContent).toBe('/login?next=%2F');
    expect(window.history.length).toBe(before);
  });
});

describe('matchPath', () => {
  it.each([
    ['/tickets/:number', '/tickets/INC-000123', { number: 'INC-000123' }],
    ['/tickets/:number', '/tickets/INC-000123/', { number: 'INC-000123' }],
    ['/tickets/:number', '/tickets/a%2Fb', { number: 'a/b' }],
    ['/tickets/:number', '/tickets/', null],
    ['/tickets/:number', '/tickets/1/2', null],
    ['/tickets/:number', '/tickets/%E0%A4%A', null],
    ['/', '/', {}],
    ['/kpis', '/kpis/', {}],
    ['/kpis', '/kpi', null],
  ])('%s ~ %s → %j', (pattern, path, expected) => {
    expect(matchPath(pattern, path)).toEqual(expected);
  });
});
