import { useId, type ReactNode, type Ref, type SelectHTMLAttributes } from 'react';

export interface SelectOption<V extends string> {
  value: V;
  label: string;
}

export interface SelectFieldProps<V extends string> extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value'> {
  label: string;
  value: V;
  options: readonly SelectOption<V>[];
  onChange(value: V): void;
  error?: ReactNode;
  hint?: ReactNode;
  labelHidden?: boolean;
  ref?: Ref<HTMLSelectElement>;
  /** More options under <optgroup> headings, after `options`. */
  groups?: readonly { label: string; options: readonly SelectOption<V>[] }[];
}

export function SelectField<V extends string>({ label, value, options, onChange, error, hint, labelHidden, className, ref, groups, ...rest }: SelectFieldProps<V>) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', error ? 'field--invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={`${id}-select`} className={labelHidden ? 'sr-only' : 'field__label'}>
        {label}
      </label>
      <select
        ref={ref}
        id={`${id}-select`}
        className="field__input field__select"
        value={value}
        onChange={(e) => onChange(e.target.value as V)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...rest}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {groups?.map((g) =>
          g.options.length > 0 ? (
            <optgroup key={g.label} label={g.label}>
              {g.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </optgroup>
          ) : null,
        )}
      </select>
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
