// The protocol modules and the order the connection registers them in. Order matters twice:
// message/presence stanzas go to modules in this order until one consumes them, and online()
// hooks run in it — the roster is fetched before initial presence goes out (RFC 6121 §2.2), and
// disco/caps exist before presence asks caps for its <c/>.
// Messages: carbons and archive results are unwrapped (and consumed) first, so rfc6121-im never
// takes a copy or an archived message for a live one; receipts, chat states and markers then read
// what rides on a live message without consuming it; a correction is consumed before im would show
// it as a new message. Carbons' online() only fires its <enable/>, so it costs login no round trip.
import type { AnyModule } from '../module';
import { discoModule } from './xep0030-disco';
import { capsModule } from './xep0115-caps';
import { versionModule } from './xep0092-version';
import { pingModule } from './xep0199-ping';
import { rosterModule, type RosterCache } from './rfc6121-roster';
import { presenceModule } from './rfc6121-presence';
import { createImModule } from './rfc6121-im';
import { carbonsModule } from './xep0280-carbons';
import { mamModule } from './xep0313-mam';
import { receiptsModule, RECEIPTS_MODULE } from './xep0184-receipts';
import { chatStatesModule, CHATSTATES_MODULE } from './xep0085-chatstates';
import { markersModule, MARKERS_MODULE } from './xep0333-markers';
import { correctionModule } from './xep0308-correction';
import { vcardModule } from './xep0054-vcard';
import { vcardAvatarModule, VCARD_AVATAR_MODULE } from './xep0153-vcard-avatar';
import { pepAvatarModule } from './xep0084-avatar';
import { idleModule, IDLE_MODULE } from './xep0319-idle';
import { resourceInfoModule } from './resource-info';
import { blockingModule } from './xep0191-blocking';
import { searchModule } from './xep0055-search';
import { registerModule } from './xep0077-register';

export * from './xep0030-disco';
export * from './xep0115-caps';
export * from './xep0092-version';
export * from './xep0199-ping';
export * from './rfc6121-roster';
export * from './rfc6121-presence';
export * from './rfc6121-im';
export * from './xep0280-carbons';
export * from './xep0313-mam';
export * from './xep0184-receipts';
export * from './xep0085-chatstates';
export * from './xep0333-markers';
export * from './xep0308-correction';
export * from './xep0004-dataforms';
export * from './xep0054-vcard';
export * from './xep0153-vcard-avatar';
export * from './xep0084-avatar';
export * from './xep0319-idle';
export * from './resource-info';
export * from './xep0191-blocking';
export * from './xep0055-search';
export * from './xep0077-register';
export * from './file-transfer';
export { parseStanzaError, describeStanzaError, buildStanzaError, iqErrorFrom, type StanzaError } from './stanza-error';

export interface DefaultModulesOptions {
  loadRosterCache?: () => RosterCache | undefined;
  /** Whether the server announced roster versioning (XEP-0237) on the current stream. */
  rosterVersioning?: () => boolean;
  appVersion: string;
  /** The user's choice to send XEP-0085 chat states (typing notifications); default yes. */
  sendChatStates?: () => boolean;
}

/** A fresh set for one account: the factories keep per-account state (own presence, caps cache). */
export function defaultModules(opts: DefaultModulesOptions): AnyModule[] {
  return [
    discoModule,
    capsModule(),
    versionModule({ name: 'Flint', version: opts.appVersion }),
    pingModule,
    carbonsModule,
    mamModule,
    rosterModule({ loadCache: opts.loadRosterCache, rosterVersioning: opts.rosterVersioning }),
    // Profile (issue 4): these read presence and PEP events without consuming them (except the
    // avatar metadata events), so they sit before rfc6121-presence and rfc6121-im; the avatar hash
    // and idle time ride on our presence through its contributors.
    vcardModule,
    vcardAvatarModule(),
    pepAvatarModule,
    idleModule(),
    resourceInfoModule,
    presenceModule({ contributors: [VCARD_AVATAR_MODULE, IDLE_MODULE] }),
    receiptsModule(),
    chatStatesModule({ send: opts.sendChatStates }),
    markersModule(),
    correctionModule,
    createImModule({ decorators: [RECEIPTS_MODULE, CHATSTATES_MODULE, MARKERS_MODULE] }),
    blockingModule(),
    searchModule,
    registerModule,
  ];
}
