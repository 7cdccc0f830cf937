// Plain-data helpers for drawing any XEP-0004 form (shared/forms.ts) and reading what the user
// entered. Pure, so the UI (data-form.tsx) stays a thin mapping.
import type { DataForm, FormField, FormProblem, FormValues } from '../../../shared/forms';
import { initialValues, validateForm } from '../../../shared/forms';

export { initialValues, validateForm };

/** Fields the user sees and fills in (hidden ones are sent back as they came). */
export const visibleFields = (form: DataForm): FormField[] => form.fields.filter((f) => f.type !== 'hidden');

/** The one value of a single-valued field ('' when none). */
export const single = (values: FormValues, f: FormField): string => (f.var !== undefined ? (values[f.var]?.[0] ?? '') : '');

/** Multi-line text and JID lists: one value per line. */
export const lines = (values: FormValues, f: FormField): string => (f.var !== undefined ? (values[f.var] ?? []).join('\n') : '');

export function setSingle(values: FormValues, f: FormField, v: string): FormValues {
  if (f.var === undefined) return values;
  return { ...values, [f.var]: v === '' ? [] : [v] };
}

export function setLines(values: FormValues, f: FormField, text: string): FormValues {
  if (f.var === undefined) return values;
  return { ...values, [f.var]: text.split('\n').map((l) => l.trim()).filter((l) => l !== '') };
}

export function toggleOption(values: FormValues, f: FormField, option: string, on: boolean): FormValues {
  if (f.var === undefined) return values;
  const current = values[f.var] ?? [];
  const next = on ? [...new Set([...current, option])] : current.filter((v) => v !== option);
  return { ...values, [f.var]: next };
}

/** XEP-0004 §3.3: boolean values are 1/true or 0/false. */
export const isTrue = (v: string): boolean => v === '1' || v === 'true';

/** Problems by field var, first one per field. */
export function problemsByVar(problems: readonly FormProblem[]): Map<string, FormProblem> {
  const m = new Map<string, FormProblem>();
  for (const p of problems) if (!m.has(p.var)) m.set(p.var, p);
  return m;
}

/**
 * A data form result as a table: column headers and rows of cell text. Columns empty in every row
 * are left out (a directory reports a dozen columns; a person has two or three of them filled).
 */
export function resultTable(columns: readonly FormField[], items: readonly FormValues[]): { headers: { key: string; label: string }[]; rows: string[][] } {
  const cols = columns.filter((c) => c.var !== undefined && c.type !== 'hidden' && items.some((item) => (item[c.var!] ?? []).some((v) => v.trim() !== '')));
  return {
    headers: cols.map((c) => ({ key: c.var!, label: c.label ?? c.var! })),
    rows: items.map((item) => cols.map((c) => (item[c.var!] ?? []).join(', '))),
  };
}
