// A modal dialog on the native <dialog> element: showModal() makes the rest of the page inert
// and puts the dialog in the top layer; on top of that we keep Tab cycling inside it, turn
// Escape into onClose, label it by its title, and give focus back to where it was on close.
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type Ref, type RefObject } from 'react';
import { Button } from './button';

export interface DialogProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  /** Element to focus when the dialog opens; otherwise the first focusable one. */
  initialFocus?: RefObject<HTMLElement | null>;
  /** Id of the element that describes the dialog (aria-describedby). */
  describedBy?: string;
  className?: string;
  /** 'alertdialog' for dialogs that need an answer before anything else (the certificate). */
  role?: 'dialog' | 'alertdialog';
}

const FOCUSABLE = 'a[href], [role="link"][tabindex], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.closest('[hidden]') && el.getClientRects().length > 0);
}

export function Dialog({ title, onClose, children, initialFocus, describedBy, className, role = 'dialog' }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    (initialFocus?.current ?? focusables(dialog)[0] ?? dialog).focus();
    // Escape fires 'cancel'; the owner decides what closing means (and unmounts us).
    const onCancel = (e: Event) => {
      e.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      if (previous && previous.isConnected && previous.getClientRects().length > 0) previous.focus();
    };
    // Opening is a mount-time event: initialFocus is read once, on purpose.
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = focusables(ref.current);
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog ref={ref} className={['dialog', className ?? ''].filter(Boolean).join(' ')} role={role} aria-modal="true" aria-labelledby={titleId} aria-describedby={describedBy} onKeyDown={onKeyDown}>
      <h2 id={titleId} className="dialog__title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}

/** A dialog's error line (role=alert: read out when it appears); nothing when there is none. */
export function DialogError({ error }: { error: string | null | undefined }) {
  return error ? (
    <p className="dialog__error" role="alert">
      {error}
    </p>
  ) : null;
}

/** The one button of a dialog that only informs: Close, the main action. */
export function DialogCloseButton({ label, onClose, ref }: { label: string; onClose(): void; ref?: Ref<HTMLButtonElement> }) {
  return (
    <div className="dialog__actions">
      <Button ref={ref} variant="primary" onClick={onClose}>
        {label}
      </Button>
    </div>
  );
}
