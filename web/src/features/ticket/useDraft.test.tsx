// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { useDraft } from './useDraft';

function Editor({ id }: { id: string }) {
  const [value, setValue, clear] = useDraft(`draft:${id}`);
  return (
    <>
      <label htmlFor="t">Reply</label>
      <textarea id="t" value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="button" onClick={clear}>
        Saved
      </button>
    </>
  );
}

describe('useDraft', () => {
  afterEach(() => {
    cleanup();
    sessionStorage.clear();
  });

  it('survives an unmount (a reload) and is cleared only on purpose', async () => {
    const user = userEvent.setup();
    const first = render(<Editor id="t1" />);
    await user.type(screen.getByLabelText('Reply'), 'Half a reply');
    first.unmount();
    render(<Editor id="t1" />);
    expect((screen.getByLabelText('Reply') as HTMLTextAreaElement).value).toBe('Half a reply');
    await act(() => user.click(screen.getByRole('button', { name: 'Saved' })));
    expect(sessionStorage.getItem('draft:t1')).toBeNull();
  });

  it('keeps drafts of different tickets apart', async () => {
    sessionStorage.setItem('draft:a', 'for A');
    const view = render(<Editor id="a" />);
    expect((screen.getByLabelText('Reply') as HTMLTextAreaElement).value).toBe('for A');
    view.rerender(<Editor id="b" />);
    expect((screen.getByLabelText('Reply') as HTMLTextAreaElement).value).toBe('');
  });
});
