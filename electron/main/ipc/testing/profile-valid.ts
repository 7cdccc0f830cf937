// One valid call per issue 4 command and the FakeAccount method it must reach (handlers.test.ts
// spreads this into its table of every command). Only tests import it.
import type { profileCommands } from '../../../../shared/ipc/profile-contract';

// A real 1×1 PNG.
export const ONE_PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

export const PROFILE_VALID: { [C in keyof typeof profileCommands]: { args: unknown; method: string } } = {
  'roster.update': { args: { jid: 'bob@example.test', name: 'Bobby', groups: ['Friends', 'Work'] }, method: 'profile.updateContact' },
  'roster.renameGroup': { args: { from: 'Friends', to: 'Pals' }, method: 'profile.renameGroup' },
  'roster.deleteGroup': { args: { name: 'Friends', removeContacts: true }, method: 'profile.deleteGroup' },
  'blocklist.block': { args: { jids: ['spam@example.test'] }, method: 'profile.block' },
  'blocklist.unblock': { args: { jids: ['spam@example.test'] }, method: 'profile.unblock' },
  'contact.describe': { args: { jid: 'bob@example.test' }, method: 'profile.describeContact' },
  'profile.get': { args: { jid: 'bob@example.test' }, method: 'profile.getProfile' },
  'profile.set': { args: { vcard: { fn: 'Alice', nickname: 'al', email: ['alice@example.org'], tel: ['+1 555 0100'], org: { name: 'Example Inc.' } } }, method: 'profile.setProfile' },
  'avatar.get': { args: { jid: 'bob@example.test' }, method: 'profile.avatar' },
  'avatar.setOwn': { args: { image: { type: 'image/png', data: ONE_PIXEL_PNG } }, method: 'profile.setOwnAvatar' },
  'presence.setAutoAway': { args: { enabled: true, awayMinutes: 1, xaMinutes: 10 }, method: 'profile.setAutoAway' },
  'directory.services': { args: {}, method: 'profile.directoryServices' },
  'directory.fields': { args: { service: 'vjud.example.test' }, method: 'profile.directoryFields' },
  'directory.search': { args: { service: 'vjud.example.test', values: { nick: ['bob'] } }, method: 'profile.directorySearch' },
  'account.changePassword': { args: { password: 'n3w-pa55' }, method: 'profile.changePassword' },
  'register.start': { args: { domain: 'example.test', host: '127.0.0.1', port: 5222, tlsMode: 'starttls' }, method: 'profile.registerStart' },
  'register.submit': { args: { values: { username: ['newbie'], password: ['pw'] } }, method: 'profile.registerSubmit' },
  'register.cancel': { args: {}, method: 'profile.registerCancel' },
  'debug.setIdleSeconds': { args: { seconds: 400 }, method: 'profile.setDebugIdleSeconds' },
};
