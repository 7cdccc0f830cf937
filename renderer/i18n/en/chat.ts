// English strings for conversations: tabs, log, composer, corrections, search, export, links.

export const chat = {
  tabs: 'Conversations',
  close: 'Close conversation with {{name}}',
  tabUnread: '{{name}}, {{unread}}',
  empty: 'Choose a contact to start a conversation (Enter or double-click).',
  log: 'Messages with {{name}}',
  noMessages: 'No messages yet.',
  message: 'Message',
  messagePlaceholder: 'Write a message…',
  send: 'Send',
  composerHint: 'Enter to send, Shift+Enter for a new line.',
  you: 'You',
  today: 'Today',
  yesterday: 'Yesterday',
  state: {
    pending: 'Sending',
    sent: 'Sent',
    delivered: 'Delivered',
    error: 'Not sent',
  },
  errorReason: 'Not sent: {{reason}}',
  sendFailed: 'The message could not be sent: {{detail}}',
};

// Issue 5: typing, delivery, corrections, scroll-back, search, export, mute.
export const talk = {
  typing: '{{name}} is typing…',
  seen: 'Seen',
  edited: 'edited',
  retry: 'Retry',
  retryFailed: 'Could not retry: {{detail}}',
  edit: 'Edit',
  editMessage: 'Edit your last message',
  editing: 'Editing your message. Escape cancels.',
  cancelEdit: 'Cancel editing',
  save: 'Save',
  editFailed: 'The message could not be corrected: {{detail}}',
  loadingOlder: 'Loading older messages…',
  loadOlderFailed: 'Older messages could not be loaded: {{detail}}',
  beginning: 'Start of the conversation',
  export: 'Export conversation',
  exportMenu: 'Export format',
  exportText: 'Plain text (.txt)',
  exportHtml: 'Web page (.html)',
  exportFailed: 'The conversation could not be exported: {{detail}}',
  mute: 'Mute notifications',
  search: 'Search messages',
  searchButton: 'Search',
  searchClose: 'Close search',
  searchResults: 'Search results',
  searching: 'Searching…',
  noResults: 'No messages found.',
  searchFailed: 'Search failed: {{detail}}',
  resultName: '{{peer}}, {{time}}: {{text}}',
};

export const link = {
  title: 'Open link?',
  body: 'This will open the following address in your browser:',
  open: 'Open link',
  cancel: 'Cancel',
};
