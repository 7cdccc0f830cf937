// Issue 4, the server-account part of ProfileService (profile-service.ts): the user directory
// (XEP-0055), password change and account creation (XEP-0077).
import type { FormValues, RegistrationForm, SearchForm, SearchResult } from '../../../shared/forms';
import { validateForm } from '../../../shared/forms';
import type { RegistrationOutcome } from '../../../shared/ipc/profile-contract';
import { IqError } from '../../core/module';
import type { RegisterApi, SearchApi, SearchService } from '../../core/modules';
import { normalizeJid, requireApi } from './profile-common';
import type { ProfileDeps } from './profile-service';
import { RegistrationRunner, type RegistrationTarget } from './registration';

export class DirectoryAndRegistration {
  private readonly searchForms = new Map<string, SearchForm>();
  private readonly registration: RegistrationRunner;

  constructor(private readonly deps: Pick<ProfileDeps, 'api' | 'log' | 'passwordChanged' | 'registration'>) {
    this.registration = new RegistrationRunner({ ...deps.registration, log: deps.log });
  }

  /** A different account signs in: the search forms its server gave go. */
  reset(): void {
    this.searchForms.clear();
  }

  private require<T>(name: string): T {
    return requireApi<T>(this.deps, name);
  }

  // ------------------------------------------------------------------ user directory (XEP-0055)

  directoryServices(): Promise<SearchService[]> {
    return this.require<SearchApi>('xep0055-search').services();
  }

  async directoryFields(service: string): Promise<SearchForm> {
    const jid = normalizeJid(service);
    const form = await this.require<SearchApi>('xep0055-search').fields(jid);
    this.searchForms.set(jid, form);
    return form;
  }

  async directorySearch(service: string, values: FormValues): Promise<SearchResult> {
    const jid = normalizeJid(service);
    const search = this.require<SearchApi>('xep0055-search');
    // The form main fetched, not one the renderer sends back: only the values come from the page.
    const form = this.searchForms.get(jid) ?? (await this.directoryFields(jid));
    const problems = validateForm(form.form, values);
    if (problems.length > 0) throw new Error(`The search form is not complete: ${problems.map((p) => `${p.label ?? p.var} (${p.problem})`).join(', ')}`);
    return search.search(jid, form, values);
  }

  // ------------------------------------------------------------------ registration (XEP-0077)

  async changePassword(password: string): Promise<void> {
    const register = this.require<RegisterApi>('xep0077-register');
    try {
      await register.changePassword(password);
    } catch (e) {
      // §3.3: a server that wants the old password too answers with a form; Flint does not hold it.
      if (e instanceof IqError && e.el?.child('query')) throw new Error('The server wants more than the new password to change it (a form); change it on the server’s website.');
      if (e instanceof IqError && e.condition === 'not-authorized') throw new Error('The server did not allow changing the password from here.');
      throw e;
    }
    this.deps.passwordChanged(password);
  }

  registerStart(target: RegistrationTarget): Promise<RegistrationForm> {
    return this.registration.start(target);
  }

  registerSubmit(values: FormValues): Promise<RegistrationOutcome> {
    return this.registration.submit(values);
  }

  registerCancel(): void {
    this.registration.cancel();
  }
}
