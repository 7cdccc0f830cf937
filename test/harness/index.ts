// The real-server test harness: Prosody, ejabberd, a scripted hostile server, slixmpp peers,
// a throw-away CA. Facts about the servers: /work/shared/TEST-SERVERS.md.
export { createTestCa, type IssueOptions, type IssuedCert, type TestCa } from './ca';
export { freePort, freePorts, isListening } from './free-port';
export { startProsody, type ProsodyOptions, type ProsodyServer, type ProsodyUser } from './prosody';
export { encodePathPart, rosterFileText, type RosterItemSpec } from './prosody-storage';
export { startEjabberd, type EjabberdOptions, type EjabberdServer } from './ejabberd';
export {
  startHostileServer,
  type HostileConn,
  type HostileScript,
  type HostileServer,
  type HostileServerOptions,
  type HostileTlsOptions,
} from './hostile-server';
export { ECHO_PEER_SCRIPT, SYSTEM_PYTHON, runEchoPeer, runSlixmppPeer, type EchoPeerOptions, type PeerLine, type SlixmppPeer } from './slixmpp';
export { probeStreamFeatures, type ProbeOptions } from './xmpp-probe';
export { connectRawClient, type RawClient, type RawClientOptions } from './raw-client';
