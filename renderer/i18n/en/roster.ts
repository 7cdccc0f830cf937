// English strings for the contact list: presence, rows, adding contacts, requests, view options.

export const presence = {
  chat: 'Free to chat',
  available: 'Available',
  away: 'Away',
  xa: 'Extended away',
  dnd: 'Do not disturb',
  offline: 'Offline',
  pending: 'Awaiting approval',
  status: 'Status',
  statusMessage: 'Status message',
  statusMessagePlaceholder: 'What are you up to?',
  you: 'You',
};

export const roster = {
  label: 'Contacts',
  filter: 'Filter contacts',
  filterPlaceholder: 'Filter…',
  addContact: 'Add contact',
  showOffline: 'Show offline contacts',
  ungrouped: 'Contacts',
  offline: 'Offline',
  groupHeader: '{{name}} ({{online}}/{{total}})',
  offlineHeader: '{{name}} ({{total}})',
  contactName: '{{name}}, {{presence}}',
  unread_one: '{{count}} unread message',
  unread_other: '{{count}} unread messages',
  empty: 'No contacts yet. Add one with “Add contact”.',
  allOffline: 'Nobody is online. Turn on “Show offline contacts” to see everyone.',
  noMatch: 'No contacts match “{{filter}}”.',
  summary: '{{online}} of {{total}} online',
};

export const addContact = {
  title: 'Add contact',
  jid: 'Jabber ID',
  name: 'Name',
  group: 'Group',
  optional: 'Optional',
  hint: 'They will be asked to let you see when they are online.',
  add: 'Add',
  cancel: 'Cancel',
};

export const subscriptions = {
  label: 'Contact requests',
  wants: '{{who}} wants to add you as a contact.',
  accept: 'Accept',
  deny: 'Deny',
  acceptLabel: 'Accept {{jid}}',
  denyLabel: 'Deny {{jid}}',
};

export const requests = {
  title_one: '{{count}} contact request',
  title_other: '{{count}} contact requests',
  acceptAndAdd: 'Accept and add',
  acceptAndAddLabel: 'Accept and add {{jid}}',
  acceptAndAddHint: 'Let them see your status and ask to see theirs',
  acceptHint: 'Let them see your status',
  block: 'Block',
  blockLabel: 'Block {{jid}}',
  blockHint: 'Deny and block them: no more requests or messages from them',
  acceptAll: 'Accept all',
  denyAll: 'Deny all',
};

export const rosterView = {
  options: 'View options',
  sort: 'Sort contacts',
  byName: 'By name',
  byPresence: 'By status',
  showEmptyGroups: 'Show groups with nobody online',
};
