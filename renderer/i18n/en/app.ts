// English strings for the app shell (start-up, connection banner, account menu, settings) and data forms.

export const app = {
  name: 'Flint',
  starting: 'Starting Flint…',
  startFailed: 'Flint could not start: {{detail}}',
  bridgeLost: 'Lost contact with the Flint service. Trying again…',
};

export const banner = {
  label: 'Connection status',
  connecting: 'Connecting…',
  authenticating: 'Signing in…',
  reconnectingIn_one: 'Connection lost. Reconnecting in {{count}} second…',
  reconnectingIn_other: 'Connection lost. Reconnecting in {{count}} seconds…',
  reconnecting: 'Connection lost. Reconnecting…',
  offline: 'You are offline.',
  failed: 'Disconnected. {{reason}}',
  reconnectNow: 'Reconnect now',
};

export const menu = {
  account: 'Account',
  settings: 'Settings',
  signOut: 'Sign out',
};

export const settings = {
  title: 'Settings',
  theme: 'Theme',
  themes: {
    system: 'Same as the system',
    light: 'Light',
    dark: 'Dark',
  },
  language: 'Language',
  languages: {
    system: 'Same as the system',
    en: 'English',
    'zh-CN': '简体中文 (Simplified Chinese)',
  },
  close: 'Close',
};

export const forms = {
  none: '(none)',
  onePerLine: 'One per line.',
  problem: {
    required: 'This is required.',
    'single-value': 'Enter only one value.',
    'not-boolean': 'Choose yes or no.',
    'not-a-jid': 'Enter Jabber IDs like name@example.org.',
    'not-an-option': 'Choose one of the options.',
  },
};
