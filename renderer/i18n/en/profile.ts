// English strings for your own account (issue 4): profile, auto-away, saved statuses, password.

export const profile = {
  open: 'Edit profile',
  title: 'Edit profile',
  picture: 'Your picture',
  loading: 'Loading your profile…',
  fields: {
    fn: 'Full name',
    nickname: 'Nickname',
    email: 'Email',
    tel: 'Phone',
    org: 'Organization',
    title: 'Job title',
  },
  severalHint: 'Separate several with commas.',
  choosePhoto: 'Choose picture…',
  removePhoto: 'Remove picture',
  photoHint: 'Scaled to at most 192×192 pixels; your contacts see it.',
  photoUnreadable: 'That file is not a picture Flint can read.',
  save: 'Save',
  saving: 'Saving…',
};

export const autoAway = {
  title: 'Auto-away',
  enabled: 'Set my status to Away when I am idle',
  awayAfter: 'Away after (minutes)',
  xaAfter: 'Extended away after (minutes)',
  hint: 'Idle means no keyboard or mouse use on this computer. Your status comes back when you do.',
  invalid: 'Enter whole minutes from 1 to 1440.',
  xaBeforeAway: 'Extended away cannot come before Away.',
};

export const savedStatus = {
  title: 'Saved status messages',
  save: 'Save status message',
  none: 'None yet. Type a status message and choose “Save status message”.',
  forget: 'Remove',
  forgetLabel: 'Remove saved status {{status}}',
};

export const password = {
  section: 'Account',
  open: 'Change password…',
  title: 'Change password',
  new: 'New password',
  confirm: 'Confirm new password',
  required: 'Enter the new password.',
  mismatch: 'The two passwords are not the same.',
  submit: 'Change password',
  done: 'Your password was changed. Use the new one from now on.',
};
