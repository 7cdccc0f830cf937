// English strings for signing in (form, validation, errors, certificate prompt) and registration.

export const login = {
  title: 'Sign in',
  subtitle: 'Use your XMPP (Jabber) account.',
  jid: 'Jabber ID',
  jidPlaceholder: 'alice@example.org',
  password: 'Password',
  remember: 'Remember password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  cancel: 'Cancel',
  advanced: 'Advanced',
  host: 'Server',
  hostHint: 'Leave empty to find the server from the Jabber ID.',
  port: 'Port',
  tlsMode: 'TLS mode',
  tls: {
    starttls: 'STARTTLS required',
    directtls: 'Direct TLS',
    plaintext: 'Plaintext allowed',
  },
  plaintextWarning: 'Plaintext allowed: if the server offers no encryption, your password and messages can be read by anyone on the way.',
  resource: 'Resource',
  resourceHint: 'Leave empty to let the server choose.',
};

export const validation = {
  jidRequired: 'Enter your Jabber ID, for example alice@example.org.',
  jidInvalid: 'A Jabber ID looks like name@server, for example alice@example.org.',
  passwordRequired: 'Enter your password.',
  portInvalid: 'The port is a number from 1 to 65535.',
  contactJidInvalid: 'Enter the Jabber ID of the contact, for example bob@example.org.',
};

export const errors = {
  'wrong-password': 'Wrong password, or no such account on this server.',
  'auth-failed': 'The server refused to sign you in: {{detail}}',
  unreachable: 'Could not reach the server. Check the Jabber ID (or the server name) and your network.',
  timeout: 'The server did not answer in time. Check the server name and your network.',
  'no-tls': 'The server offers no encryption (STARTTLS). Choose “Plaintext allowed” in Advanced only if you trust the network.',
  'tls-failed': 'A secure connection to the server could not be set up: {{detail}}',
  'cert-untrusted': 'The server’s certificate is not trusted.',
  conflict: 'You signed in from another place with the same resource, so this session was closed.',
  downgrade: 'The server offered a weaker sign-in method than before, so Flint stopped (this can be an attack).',
  'no-mechanism': 'The server offers no sign-in method that Flint considers safe.',
  'server-signature': 'The server could not prove it knows your password (this can be an attack).',
  'policy-violation': 'The server closed the connection: {{detail}}',
  'stream-error': 'The server closed the connection: {{detail}}',
  protocol: 'The server sent something Flint did not understand: {{detail}}',
  closed: 'The connection was closed: {{detail}}',
  unknown: 'Something went wrong: {{detail}}',
  command: 'Flint could not do that: {{detail}}',
};

export const cert = {
  title: 'Untrusted certificate',
  intro: 'The server {{domain}} presented a certificate that Flint cannot verify.',
  problems: {
    'self-signed': 'It is self-signed: no certificate authority vouches for it.',
    'untrusted-issuer': 'It was issued by an authority Flint does not trust.',
    expired: 'It has expired.',
    'not-yet-valid': 'It is not valid yet.',
    'hostname-mismatch': 'It was issued for a different server name.',
    other: 'It could not be verified.',
  },
  advice: 'Trust it only if you know this server uses it — ideally compare the fingerprint with what the server’s administrator gave you.',
  subject: 'Subject',
  issuer: 'Issuer',
  validity: 'Valid',
  validRange: 'from {{from}} to {{to}}',
  altNames: 'Names',
  fingerprint: 'SHA-256 fingerprint',
  trust: 'Trust this certificate',
  cancel: 'Cancel',
};

export const register = {
  open: 'Create account',
  title: 'Create account',
  intro: 'Create an account on a server that allows it. You can use it in any XMPP app.',
  domain: 'Server',
  domainRequired: 'Enter the server, for example example.org.',
  via: 'Connecting through {{host}} (Advanced settings).',
  continue: 'Continue',
  connecting: 'Connecting…',
  server: 'New account on {{domain}}',
  web: 'This server also offers registration on the web: {{url}}',
  submit: 'Create account',
  rejected: 'The server did not create the account: {{detail}}',
  failed: 'Could not create an account: {{detail}}',
  done: 'Account {{jid}} created. Sign in with it now.',
};
