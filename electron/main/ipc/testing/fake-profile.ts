// The issue 4 half of FakeAccount: records every ProfileApi call (into the FakeAccount's list, as
// `profile.<method>`) and answers with fixed, contract-valid data. Not used by the app itself.
import type { FormValues, RegistrationForm, SearchForm, SearchResult } from '../../../../shared/forms';
import { DEFAULT_AUTO_AWAY, type AutoAwaySettings, type ProfileSnapshot, type RegistrationOutcome, type ResourceDetails } from '../../../../shared/ipc/profile-contract';
import type { SearchService } from '../../../core/modules';
import type { ProfileApi, VCardFields } from '../../accounts/profile-service';
import type { RegistrationTarget } from '../../accounts/registration';
import type { FakeCall } from './fake-account';

const form: RegistrationForm['form'] = { type: 'form', instructions: ['Choose a user name and password.'], fields: [{ var: 'username', type: 'text-single', label: 'Username', required: true, values: [], options: [] }] };

export class FakeProfile implements ProfileApi {
  blocked: string[] = [];
  autoAway: AutoAwaySettings = { ...DEFAULT_AUTO_AWAY };
  /** FLINT_TEST_HOOKS as the fake pretends it is set. */
  debugHooks = true;

  constructor(private readonly calls: FakeCall[]) {}

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method: `profile.${method}`, args });
  }

  async updateContact(jid: string, patch: { name?: string; groups?: string[] }): Promise<void> {
    this.record('updateContact', jid, patch);
  }
  async renameGroup(from: string, to: string): Promise<void> {
    this.record('renameGroup', from, to);
  }
  async deleteGroup(name: string, removeContacts: boolean): Promise<void> {
    this.record('deleteGroup', name, removeContacts);
  }
  async block(jids: string[]): Promise<void> {
    this.record('block', jids);
  }
  async unblock(jids: string[]): Promise<void> {
    this.record('unblock', jids);
  }
  async describeContact(jid: string): Promise<ResourceDetails[]> {
    this.record('describeContact', jid);
    return [{ jid: `${jid}/phone`, resource: 'phone', features: ['urn:xmpp:ping'], client: { name: 'Conversations', version: '2.17' }, idleSeconds: 30 }];
  }
  async getProfile(jid?: string): Promise<{ vcard: VCardFields; photo: string | null }> {
    this.record('getProfile', jid);
    return { vcard: { fn: 'Bob Example', email: ['bob@example.org'], tel: [] }, photo: null };
  }
  async setProfile(fields: VCardFields): Promise<void> {
    this.record('setProfile', fields);
  }
  async avatar(jid: string): Promise<string | null> {
    this.record('avatar', jid);
    return 'data:image/png;base64,iVBORw0KGgo=';
  }
  async setOwnAvatar(image: { type: 'image/png' | 'image/jpeg'; data: string } | null): Promise<void> {
    this.record('setOwnAvatar', image);
  }
  setAutoAway(settings: AutoAwaySettings): void {
    this.record('setAutoAway', settings);
    this.autoAway = settings;
  }
  async directoryServices(): Promise<SearchService[]> {
    this.record('directoryServices');
    return [{ jid: 'vjud.example.test', name: 'User directory' }];
  }
  async directoryFields(service: string): Promise<SearchForm> {
    this.record('directoryFields', service);
    return { kind: 'legacy', form: { type: 'form', instructions: [], fields: [{ var: 'nick', type: 'text-single', label: 'Nickname', required: false, values: [], options: [] }] } };
  }
  async directorySearch(service: string, values: FormValues): Promise<SearchResult> {
    this.record('directorySearch', service, values);
    return { columns: [{ var: 'jid', type: 'jid-single', label: 'JID', required: false, values: [], options: [] }], items: [{ jid: ['bob@example.test'] }] };
  }
  async changePassword(password: string): Promise<void> {
    this.record('changePassword', password);
  }
  async registerStart(target: RegistrationTarget): Promise<RegistrationForm> {
    this.record('registerStart', target);
    return { kind: 'form', form, registered: false };
  }
  async registerSubmit(values: FormValues): Promise<RegistrationOutcome> {
    this.record('registerSubmit', values);
    return { status: 'registered', jid: `${values.username?.[0] ?? 'new'}@example.test` };
  }
  registerCancel(): void {
    this.record('registerCancel');
  }
  setDebugIdleSeconds(seconds: number): void {
    this.record('setDebugIdleSeconds', seconds);
    if (!this.debugHooks) throw new Error('debug.setIdleSeconds is available only with FLINT_TEST_HOOKS=1');
  }
  snapshot(): ProfileSnapshot {
    return { blocked: this.blocked, avatars: {}, autoAway: this.autoAway };
  }
}
