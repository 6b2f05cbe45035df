import { type RefObject, useEffect, useRef, useState } from 'react';
import { fitCount } from './format';

/** The content-box size of an element, kept current with a ResizeObserver (0 × 0 where there is none, e.g. jsdom). */
export function useElementSize<T extends HTMLElement>(): [RefObject<T | null>, { width: number; height: number }] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const { width, height } = entry.contentRect;
      setSize((s) => (s.width === width && s.height === height ? s : { width, height }));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, size];
}

/**
 * How many rows of a list fit its box. Row height and gap come from the list's CSS (`--row-h`, `row-gap`), so the
 * stylesheet alone decides the type size and the list follows the screen. `fallback` serves where nothing can be
 * measured (tests).
 */
export function useFitCount<T extends HTMLElement>(fallback = 6): [RefObject<T | null>, number] {
  const [ref, size] = useElementSize<T>();
  const [count, setCount] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || size.height === 0) return;
    const style = getComputedStyle(el);
    const probe = document.createElement('div');
    probe.style.cssText = 'position:absolute;visibility:hidden;height:var(--row-h)';
    el.appendChild(probe);
    const row = probe.getBoundingClientRect().height;
    probe.remove();
    setCount(fitCount(size.height, row, Number.parseFloat(style.rowGap) || 0));
  }, [ref, size.height]);
  return [ref, count];
}
