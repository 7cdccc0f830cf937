// Plain data that crosses from the engine to the app and over IPC. Never XML.

export type TlsMode = 'starttls' | 'directtls' | 'plaintext';

export interface AccountSettings {
  /** Bare JID, e.g. alice@example.org */
  jid: string;
  /** Resource to request; the server assigns one when empty. */
  resource?: string;
  /** Host/port override (skips DNS SRV). */
  host?: string;
  port?: number;
  tlsMode: TlsMode;
  /** SHA-256 fingerprint ('AB:CD:…') of a server certificate the user chose to trust. */
  pinnedFingerprint256?: string;
  /** Strongest SASL mechanism this account has used: a weaker offer later is refused as a possible downgrade. */
  strongestMechanism?: string;
}

export interface CertInfo {
  /** RDNs as Node prints them, joined with ', ' (e.g. 'CN=example.test, O=Example'). */
  subject: string;
  issuer: string;
  /** ISO 8601, UTC. */
  validFrom: string;
  validTo: string;
  /** SHA-256 of the DER certificate, upper-case hex pairs joined with ':'. */
  fingerprint256: string;
  /** subjectAltName entries with a type prefix: 'DNS:', 'IP:', 'XmppAddr:', 'SRV:', 'URI:', 'email:', 'otherName:'. */
  altNames: string[];
}

export const CONNECTION_ERROR_CODES = [
  'wrong-password',
  'unreachable',
  'no-tls',
  'cert-untrusted',
  'tls-failed',
  'conflict',
  'downgrade',
  'no-mechanism',
  'auth-failed',
  'server-signature',
  'policy-violation',
  'stream-error',
  'protocol',
  'timeout',
  'closed',
] as const;
export type ConnectionErrorCode = (typeof CONNECTION_ERROR_CODES)[number];

export interface ConnectionError {
  code: ConnectionErrorCode;
  /** Plain-English explanation, shown to the user. */
  message: string;
  /** For cert-untrusted: the certificate the server presented. */
  cert?: CertInfo;
  certProblem?: string;
  /** Stream error condition or SASL failure condition, when there was one. */
  condition?: string;
}

export type ConnectionStatus = 'offline' | 'connecting' | 'authenticating' | 'online' | 'reconnecting' | 'failed';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Full JID once bound. */
  jid?: string;
  error?: ConnectionError;
  /** For 'reconnecting': epoch ms of the next attempt. */
  retryAt?: number;
  attempt?: number;
}

export type Subscription = 'none' | 'to' | 'from' | 'both';

export interface Contact {
  jid: string;
  name?: string;
  groups: string[];
  subscription: Subscription;
  /** Outgoing subscription request pending ("awaiting authorization"). */
  ask?: boolean;
  approved?: boolean;
}

export type Show = 'chat' | 'available' | 'away' | 'xa' | 'dnd';

export interface ResourcePresence {
  resource: string;
  show: Show;
  status?: string;
  priority: number;
  caps?: { node: string; ver: string; hash: string };
  /** XEP-0319 idle since (ISO), when given. */
  idleSince?: string;
}

export interface PresenceUpdate {
  /** Bare JID of the contact. */
  jid: string;
  resource: string;
  /** null when that resource went offline. */
  presence: ResourcePresence | null;
}

export type SubscriptionRequestKind = 'subscribe' | 'subscribed' | 'unsubscribe' | 'unsubscribed';

export type MessageType = 'chat' | 'normal';
export type MessageState = 'pending' | 'sent' | 'delivered' | 'error';

export interface ChatMessage {
  /** Local id (also used as the stanza id and origin-id for our own messages). */
  id: string;
  /** Bare JID of the other party: the conversation this belongs to. */
  peer: string;
  /** Full JID it came from / went to. */
  from: string;
  to: string;
  direction: 'in' | 'out';
  type: MessageType;
  body: string;
  thread?: string;
  subject?: string;
  /** Epoch ms: the XEP-0203 delay stamp when present, else when received/sent. */
  timestamp: number;
  stanzaId?: string;
  state: MessageState;
  error?: string;
  /** XEP-0308: epoch ms of the last correction applied to `body` (the UI shows "edited"). */
  correctedAt?: number;
}
