import { type ReactNode, useId, useState } from 'react';

/** A button that shows and hides a form below it (kept mounted when hidden, so typed text survives). */
export function Disclosure({
  label,
  children,
  defaultOpen = false,
  tone,
}: {
  label: string;
  children: ReactNode;
  defaultOpen?: boolean;
  tone?: 'primary';
}) {
  const [open, setOpen] = useState(defaultOpen);
  const id = useId();
  return (
    <div className="disclosure">
      <button
        type="button"
        className={`button disclosure__toggle${tone === 'primary' ? ' button--primary' : ''}`}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true" className="disclosure__chevron">
          {open ? '▾' : '▸'}
        </span>{' '}
        {label}
      </button>
      <div id={id} className="disclosure__body" hidden={!open}>
        {children}
      </div>
    </div>
  );
}
