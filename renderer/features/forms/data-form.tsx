// Any XEP-0004 data form the server sends (directory search, registration, …) drawn generically:
// text and password boxes, multi-line lists, check boxes, selects; instructions and fixed text as
// paragraphs; hidden fields not at all. Labels are the form's own (server text, rendered as text).
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { DataForm, FormField, FormProblem, FormValues } from '../../../shared/forms';
import { Checkbox } from '../../ui/checkbox';
import { SelectField } from '../../ui/select-field';
import { TextField } from '../../ui/text-field';
import { isTrue, lines, problemsByVar, setLines, setSingle, single, toggleOption, visibleFields } from './form-state';

export interface DataFormViewProps {
  form: DataForm;
  values: FormValues;
  onChange(values: FormValues): void;
  /** From validateForm, shown next to their fields once the user tried to submit. */
  problems?: readonly FormProblem[];
  disabled?: boolean;
}

function TextArea({ label, value, onChange, hint, error, disabled, required }: { label: string; value: string; onChange(v: string): void; hint?: string; error?: string; disabled?: boolean; required?: boolean }) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', error ? 'field--invalid' : ''].filter(Boolean).join(' ')}>
      <label htmlFor={`${id}-input`} className="field__label">
        {label}
      </label>
      <textarea
        id={`${id}-input`}
        className="field__input field__textarea"
        rows={3}
        value={value}
        disabled={disabled}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
      />
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

export function DataFormView({ form, values, onChange, problems = [], disabled }: DataFormViewProps) {
  const { t } = useTranslation();
  const byVar = problemsByVar(problems);
  const errorOf = (f: FormField) => {
    const p = f.var !== undefined ? byVar.get(f.var) : undefined;
    return p ? t(`forms.problem.${p.problem}`) : undefined;
  };

  // A long form (a directory's dozen fields) goes in two columns; instructions and fixed text span both.
  const compact = visibleFields(form).filter((f) => f.type === 'text-single' || f.type === 'jid-single' || f.type === 'text-private').length >= 6;
  return (
    <div className={compact ? 'data-form data-form--compact' : 'data-form'}>
      {form.instructions.map((text, i) => (
        <p key={i} className="data-form__instructions">
          {text}
        </p>
      ))}
      {visibleFields(form).map((f, i) => {
        const key = f.var ?? `fixed-${i}`;
        const label = f.label ?? f.var ?? '';
        const hint = f.desc;
        const error = errorOf(f);
        switch (f.type) {
          case 'fixed':
            return (
              <p key={key} className="data-form__fixed">
                {f.values.join('\n')}
              </p>
            );
          case 'boolean':
            return <Checkbox key={key} label={label} checked={isTrue(single(values, f))} disabled={disabled} onChange={(on) => onChange(setSingle(values, f, on ? '1' : '0'))} />;
          case 'list-single': {
            const options = [...(f.required ? [] : [{ value: '', label: t('forms.none') }]), ...f.options.map((o) => ({ value: o.value, label: o.label ?? o.value }))];
            return <SelectField key={key} label={label} value={single(values, f)} options={options} hint={hint} error={error} disabled={disabled} onChange={(v) => onChange(setSingle(values, f, v))} />;
          }
          case 'list-multi':
            return (
              <fieldset key={key} className="data-form__choices" disabled={disabled}>
                <legend className="field__label">{label}</legend>
                {f.options.map((o) => (
                  <Checkbox key={o.value} label={o.label ?? o.value} checked={(values[f.var!] ?? []).includes(o.value)} onChange={(on) => onChange(toggleOption(values, f, o.value, on))} />
                ))}
                {error ? <p className="field__error">{error}</p> : null}
              </fieldset>
            );
          case 'text-multi':
          case 'jid-multi':
            return <TextArea key={key} label={label} value={lines(values, f)} hint={hint ?? (f.type === 'jid-multi' ? t('forms.onePerLine') : undefined)} error={error} disabled={disabled} required={f.required} onChange={(v) => onChange(setLines(values, f, v))} />;
          default:
            // text-single, text-private, jid-single
            return (
              <TextField
                key={key}
                label={label}
                type={f.type === 'text-private' ? 'password' : 'text'}
                value={single(values, f)}
                hint={hint}
                error={error}
                disabled={disabled}
                required={f.required}
                autoComplete={f.type === 'text-private' ? 'new-password' : 'off'}
                spellCheck={f.type === 'jid-single' ? false : undefined}
                onChange={(v) => onChange(setSingle(values, f, v))}
              />
            );
        }
      })}
    </div>
  );
}
