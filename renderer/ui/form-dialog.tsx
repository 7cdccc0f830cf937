// The one shape of Flint's small dialogs: fields, an error line, then the main action and Cancel.
// The form owns submitting (Enter in a field or the button, default prevented, busy while the
// command runs, its failure on the error line); the caller owns the fields, their checks and what
// success means. ConfirmDialog is the same without fields, for "are you sure?" questions.
import { useRef, type FormEvent, type ReactNode, type Ref } from 'react';
import { Button, type ButtonVariant } from './button';
import { Dialog, DialogError, type DialogProps } from './dialog';
import type { DialogAction } from './dialog-action';

interface ActionButtonsProps {
  action: DialogAction;
  submitLabel: ReactNode;
  cancelLabel: ReactNode;
  onCancel(): void;
  submitVariant?: ButtonVariant;
  /** Disabled for a reason other than being busy (nothing to send yet). */
  submitDisabled?: boolean;
  submitRef?: Ref<HTMLButtonElement>;
  cancelRef?: Ref<HTMLButtonElement>;
  /** Cancel before the main action (the order the transfer dialogs use). */
  cancelFirst?: boolean;
}

/** The error line and the buttons; `onSubmit` given: a click button outside any form. */
function ActionButtons({ action, submitLabel, cancelLabel, onCancel, submitVariant = 'primary', submitDisabled, submitRef, cancelRef, cancelFirst, onSubmit }: ActionButtonsProps & { onSubmit?(): void }) {
  const submit = (
    <Button ref={submitRef} type={onSubmit ? 'button' : 'submit'} variant={submitVariant} disabled={action.busy || submitDisabled} onClick={onSubmit}>
      {submitLabel}
    </Button>
  );
  const cancel = (
    <Button ref={cancelRef} onClick={onCancel}>
      {cancelLabel}
    </Button>
  );
  return (
    <>
      <DialogError error={action.error} />
      <div className="dialog__actions">
        {cancelFirst ? cancel : submit}
        {cancelFirst ? submit : cancel}
      </div>
    </>
  );
}

export interface DialogFormProps extends ActionButtonsProps {
  /**
   * Called on submit. Return nothing when a check stopped it (show the field's error and focus it
   * first); return the command's promise to run it through `action` (busy, error line).
   */
  onSubmit(): unknown;
  className?: string;
  children: ReactNode;
}

/** A dialog's form, for dialogs that hold more than the form (use FormDialog otherwise). */
export function DialogForm({ onSubmit, className, children, ...buttons }: DialogFormProps) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void buttons.action.run(onSubmit);
  };
  return (
    <form onSubmit={submit} noValidate className={['dialog__form', className ?? ''].filter(Boolean).join(' ')}>
      {children}
      <ActionButtons {...buttons} />
    </form>
  );
}

export interface FormDialogProps extends Omit<DialogProps, 'children'>, Omit<DialogFormProps, 'onCancel' | 'className'> {
  formClassName?: string;
}

/** A dialog that is one form; Cancel (like Escape) calls onClose. */
export function FormDialog({ title, onClose, initialFocus, describedBy, className, role, formClassName, ...form }: FormDialogProps) {
  return (
    <Dialog title={title} onClose={onClose} initialFocus={initialFocus} describedBy={describedBy} className={className} role={role}>
      <DialogForm {...form} onCancel={onClose} className={formClassName} />
    </Dialog>
  );
}

export interface ConfirmDialogProps {
  title: string;
  onClose(): void;
  action: DialogAction;
  onConfirm(): unknown;
  confirmLabel: ReactNode;
  cancelLabel: ReactNode;
  children: ReactNode;
}

/**
 * A question with a destructive answer: focus starts on Cancel, so Enter does no harm. Not a form,
 * on purpose: Enter on a checkbox inside a form would submit it.
 */
export function ConfirmDialog({ title, onClose, action, onConfirm, confirmLabel, cancelLabel, children }: ConfirmDialogProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog title={title} onClose={onClose} initialFocus={cancelRef}>
      {children}
      <ActionButtons action={action} submitLabel={confirmLabel} submitVariant="danger" onSubmit={() => void action.run(onConfirm)} cancelLabel={cancelLabel} onCancel={onClose} cancelRef={cancelRef} />
    </Dialog>
  );
}
