// User directory search (XEP-0055) from the Add contact dialog: pick the directory (when the
// server has several), fill in its form (drawn generically, XEP-0004 or the legacy fields), and
// choose a person from the results; their JID goes into the Add contact form.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormValues, SearchForm, SearchResult } from '../../../shared/forms';
import { Button } from '../../ui/button';
import { Dialog } from '../../ui/dialog';
import { failureText, useDialogAction } from '../../ui/dialog-action';
import { DialogForm } from '../../ui/form-dialog';
import { SelectField } from '../../ui/select-field';
import { useSession } from '../app/session-context';
import { DataFormView } from '../forms/data-form';
import { initialValues, resultTable, validateForm } from '../forms/form-state';

export interface DirectoryDialogProps {
  services: { jid: string; name?: string }[];
  onClose(): void;
  /** The user chose someone: their JID and (when the directory gave one) their name. */
  onPick(jid: string, name?: string): void;
}

export function DirectoryDialog({ services, onClose, onPick }: DirectoryDialogProps) {
  const { t } = useTranslation();
  const session = useSession();
  const [service, setService] = useState(services[0]?.jid ?? '');
  const [form, setForm] = useState<SearchForm | null>(null);
  const [values, setValues] = useState<FormValues>({});
  const [tried, setTried] = useState(false);
  const [result, setResult] = useState<SearchResult | null>(null);
  const describeFailure = (detail: string) => t('errors.command', { detail });
  const action = useDialogAction(describeFailure);
  const { setError } = action;
  const resultsRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (!service) return;
    let live = true;
    setForm(null);
    setResult(null);
    setError(null);
    session.api.invoke('directory.fields', { service }).then(
      (f) => {
        if (!live) return;
        setForm(f);
        setValues(initialValues(f.form));
      },
      (err: unknown) => live && setError(failureText(err, describeFailure)),
    );
    return () => {
      live = false;
    };
  }, [session, service, t, setError]);

  const problems = form && tried ? validateForm(form.form, values) : [];

  const search = (shown: SearchForm) => {
    setTried(true);
    if (validateForm(shown.form, values).length > 0) return;
    return session.api.invoke('directory.search', { service, values }).then((r) => {
      setResult(r);
      requestAnimationFrame(() => {
        resultsRef.current?.focus();
        resultsRef.current?.scrollIntoView({ block: 'start' });
      });
    });
  };

  const table = result ? resultTable(result.columns, result.items) : null;
  const jidColumn = result ? result.columns.findIndex((c) => c.var === 'jid') : -1;
  const nameOf = (item: FormValues) => item.fn?.[0] ?? ([item.first?.[0], item.last?.[0]].filter(Boolean).join(' ') || item.nick?.[0]);

  return (
    <Dialog title={t('directory.title')} onClose={onClose} className="dialog--wide">
      <DialogForm action={action} onSubmit={() => form && search(form)} submitLabel={t('directory.search')} submitDisabled={!form} cancelLabel={t('contacts.cancel')} onCancel={onClose}>
        {services.length > 1 ? (
          <SelectField label={t('directory.service')} value={service} options={services.map((s) => ({ value: s.jid, label: s.name ? `${s.name} (${s.jid})` : s.jid }))} onChange={setService} />
        ) : null}
        {form ? (
          <DataFormView form={form.form} values={values} onChange={setValues} problems={problems} disabled={action.busy} />
        ) : action.error ? null : (
          <p className="dialog__hint" role="status">
            {t('directory.loading')}
          </p>
        )}
      </DialogForm>
      {table && result ? (
        <section className="directory__results">
          <h3 ref={resultsRef} tabIndex={-1} className="card__section">
            {t('directory.results', { count: result.items.length })}
          </h3>
          {result.items.length > 0 ? (
            <div className="directory__table-wrap">
              <table className="directory__table">
                <thead>
                  <tr>
                    {table.headers.map((h) => (
                      <th key={h.key} scope="col">
                        {h.label}
                      </th>
                    ))}
                    <th scope="col">
                      <span className="sr-only">{t('directory.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {table.rows.map((cells, i) => {
                    const item = result.items[i]!;
                    const jid = item.jid?.[0] ?? (jidColumn >= 0 ? cells[jidColumn] : undefined);
                    return (
                      <tr key={i}>
                        {cells.map((c, j) => (
                          <td key={j}>{c}</td>
                        ))}
                        <td>
                          {jid ? (
                            <Button size="small" aria-label={t('directory.chooseLabel', { jid })} onClick={() => onPick(jid, nameOf(item))}>
                              {t('directory.choose')}
                            </Button>
                          ) : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}
    </Dialog>
  );
}
