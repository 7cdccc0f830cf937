import type { ReactNode } from 'react';

/** Text for screen readers only (the .sr-only rule in ui.css keeps it out of the layout). */
export function VisuallyHidden({ children }: { children: ReactNode }) {
  return <span className="sr-only">{children}</span>;
}
