import { useCallback, useEffect, useState } from 'react';

function read(key: string): string {
  try {
    return globalThis.sessionStorage?.getItem(key) ?? '';
  } catch {
    return '';
  }
}

function write(key: string, value: string) {
  try {
    if (value) globalThis.sessionStorage?.setItem(key, value);
    else globalThis.sessionStorage?.removeItem(key);
  } catch {
    // Storage full or blocked: the draft still lives in memory for this page.
  }
}

/**
 * Text an agent is typing, kept in sessionStorage under `key`: a reload, a conflict, a live refresh or switching to
 * another form never loses it. It is cleared only when the change it was for has been saved.
 */
export function useDraft(key: string): [string, (value: string) => void, () => void] {
  const [value, setValue] = useState(() => read(key));
  useEffect(() => setValue(read(key)), [key]);
  const update = useCallback(
    (next: string) => {
      setValue(next);
      write(key, next);
    },
    [key],
  );
  const clear = useCallback(() => update(''), [update]);
  return [value, update, clear];
}
