import type { Show } from '../../shared/domain';
import { VisuallyHidden } from './visually-hidden';

export type PresenceKind = Show | 'offline' | 'pending';

export interface PresenceDotProps {
  kind: PresenceKind;
  /** The presence in words: read by screen readers (the colour alone says nothing to them). Omit when the text is already next to the dot. */
  label?: string;
}

/** Colour plus shape (ring for offline, bar for do-not-disturb) so it does not rely on colour alone. */
export function PresenceDot({ kind, label }: PresenceDotProps) {
  return (
    <span className="presence-dot-wrap">
      <span className={`presence-dot presence-dot--${kind}`} aria-hidden="true" />
      {label ? <VisuallyHidden>{label}</VisuallyHidden> : null}
    </span>
  );
}
