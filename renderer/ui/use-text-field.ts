// A checked text field's state: its value, the error shown under it until the user types again,
// and the element to put focus back in when a check fails. Spread `props` on a TextField.
import { useRef, useState, type RefObject } from 'react';

export interface TextFieldState {
  value: string;
  /** Changes the value and clears the field's error (what typing does). */
  set(value: string): void;
  /** Shows `message` under the field (null clears it), without moving focus. */
  setError(message: string | null): void;
  /** A failed check: the message under the field, and focus in it. */
  reject(message: string): void;
  props: {
    ref: RefObject<HTMLInputElement | null>;
    value: string;
    onChange(value: string): void;
    error: string | undefined;
  };
}

export function useTextField(initial: string): TextFieldState {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  const set = (v: string) => {
    setValue(v);
    setError(null);
  };
  return {
    value,
    set,
    setError,
    reject(message) {
      setError(message);
      ref.current?.focus();
    },
    props: { ref, value, onChange: set, error: error ?? undefined },
  };
}
