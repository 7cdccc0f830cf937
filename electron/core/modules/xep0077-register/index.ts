// XEP-0077: In-Band Registration — https://xmpp.org/extensions/xep-0077.html
// Namespace: jabber:iq:register. Two halves: before login (creating an account) the stream is not
// authenticated, so that runs in electron/core/register-session.ts, a state machine of its own;
// after login (this module) the account can read its registration and change its password.
import { defineModule } from '../../module';
import type { FormValues, RegistrationForm } from '../../../../shared/forms';
import { buildPasswordChange, buildRegisterGet, buildRegisterSet, buildRegisterSubmit } from './build';
import { parseRegistrationForm, REGISTER_NS } from './parse';

export { REGISTER_NS, REGISTER_FEATURE_NS, OOB_NS, LEGACY_REGISTER_LABELS, parseRegistrationForm } from './parse';
export { buildRegisterGet, buildRegisterSet, buildRegisterSubmit, buildPasswordChange } from './build';

export const REGISTER_MODULE = 'xep0077-register';

export interface RegisterApi {
  /** §3.2.1: our registration with the server (registered: true, the fields it keeps). */
  info(): Promise<RegistrationForm>;
  /**
   * §3.3: sets a new password for this account. The session stays up; the caller must store the new
   * password before the next login. A server that wants more (the old password, §3.3 Example 22)
   * rejects with an IqError whose `el` holds the form: parseRegistrationForm(el.child('query')).
   */
  changePassword(newPassword: string): Promise<void>;
  /** Submits a form info() returned (updating registration fields). */
  update(form: RegistrationForm, values: FormValues): Promise<void>;
}

export const registerModule = defineModule<undefined, RegisterApi>({
  name: REGISTER_MODULE,
  api: (ctx) => ({
    async info() {
      const result = await ctx.iq(buildRegisterGet(ctx.domain));
      return parseRegistrationForm(result.child('query', REGISTER_NS));
    },
    async changePassword(newPassword) {
      if (newPassword === '') throw new Error('the new password is empty');
      const username = ctx.bareJid.slice(0, ctx.bareJid.indexOf('@'));
      await ctx.iq(buildPasswordChange(ctx.domain, username, newPassword));
    },
    async update(form, values) {
      await ctx.iq(buildRegisterSet(buildRegisterSubmit(form, values), ctx.domain));
    },
  }),
});
