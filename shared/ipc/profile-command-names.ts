// The issue 4 command names without zod, for the preload (which must stay small and imports only
// types from the contract). `satisfies` fails the build when profile-contract.ts gains or loses one.
import type { profileCommands } from './profile-contract';

export const PROFILE_COMMAND_NAMES = {
  'roster.update': true,
  'roster.renameGroup': true,
  'roster.deleteGroup': true,
  'blocklist.block': true,
  'blocklist.unblock': true,
  'contact.describe': true,
  'profile.get': true,
  'profile.set': true,
  'avatar.get': true,
  'avatar.setOwn': true,
  'presence.setAutoAway': true,
  'directory.services': true,
  'directory.fields': true,
  'directory.search': true,
  'account.changePassword': true,
  'register.start': true,
  'register.submit': true,
  'register.cancel': true,
  'debug.setIdleSeconds': true,
} as const satisfies Record<keyof typeof profileCommands, true>;
