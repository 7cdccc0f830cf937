import { VisuallyHidden } from './visually-hidden';

/** An unread counter: the number is visible, the words ("3 unread") are for screen readers. */
export function Badge({ count, label }: { count: number; label: string }) {
  if (count <= 0) return null;
  return (
    <span className="badge">
      <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
      <VisuallyHidden>{label}</VisuallyHidden>
    </span>
  );
}
