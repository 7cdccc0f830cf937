// The issue 4 part of the handler table (handlers.ts spreads it in): arguments arrive already
// validated against profile-contract.ts by dispatch().
import type { CommandArgs, CommandResult } from '../../../shared/ipc/contract';
import type { profileCommands } from '../../../shared/ipc/profile-contract';
import type { AccountServiceApi } from '../accounts/types';

type ProfileCommandName = keyof typeof profileCommands;
export type ProfileHandlers = { [C in ProfileCommandName]: (args: CommandArgs<C>) => Promise<CommandResult<C>> };

export function createProfileHandlers(account: AccountServiceApi): ProfileHandlers {
  const p = account.profile;
  return {
    'roster.update': async ({ jid, name, groups }) => {
      await p.updateContact(jid, { ...(name !== undefined ? { name } : {}), ...(groups !== undefined ? { groups } : {}) });
      return null;
    },
    'roster.renameGroup': async ({ from, to }) => {
      await p.renameGroup(from, to);
      return null;
    },
    'roster.deleteGroup': async ({ name, removeContacts }) => {
      await p.deleteGroup(name, removeContacts ?? false);
      return null;
    },
    'blocklist.block': async ({ jids }) => {
      await p.block(jids);
      return null;
    },
    'blocklist.unblock': async ({ jids }) => {
      await p.unblock(jids);
      return null;
    },
    'contact.describe': async ({ jid }) => p.describeContact(jid),
    'profile.get': async ({ jid }) => p.getProfile(jid),
    'profile.set': async ({ vcard }) => {
      await p.setProfile(vcard);
      return null;
    },
    'avatar.get': async ({ jid }) => p.avatar(jid),
    'avatar.setOwn': async ({ image }) => {
      await p.setOwnAvatar(image);
      return null;
    },
    'presence.setAutoAway': async (settings) => {
      p.setAutoAway(settings);
      return null;
    },
    'directory.services': async () => p.directoryServices(),
    'directory.fields': async ({ service }) => p.directoryFields(service),
    'directory.search': async ({ service, values }) => p.directorySearch(service, values),
    'account.changePassword': async ({ password }) => {
      await p.changePassword(password);
      return null;
    },
    'register.start': async ({ domain, host, port, tlsMode }) => p.registerStart({ domain, tlsMode, ...(host ? { host } : {}), ...(port !== undefined ? { port } : {}) }),
    'register.submit': async ({ values }) => p.registerSubmit(values),
    'register.cancel': async () => {
      p.registerCancel();
      return null;
    },
    'debug.setIdleSeconds': async ({ seconds }) => {
      p.setDebugIdleSeconds(seconds);
      return null;
    },
  };
}
