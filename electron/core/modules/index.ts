// The protocol modules and the order the connection registers them in. Order matters twice:
// message/presence stanzas go to modules in this order until one consumes them, and online()
// hooks run in it — the roster is fetched before initial presence goes out (RFC 6121 §2.2), and
// disco/caps exist before presence asks caps for its <c/>.
import type { AnyModule } from '../module';
import { discoModule } from './xep0030-disco';
import { capsModule } from './xep0115-caps';
import { versionModule } from './xep0092-version';
import { pingModule } from './xep0199-ping';
import { rosterModule, type RosterCache } from './rfc6121-roster';
import { presenceModule } from './rfc6121-presence';
import { imModule } from './rfc6121-im';

export * from './xep0030-disco';
export * from './xep0115-caps';
export * from './xep0092-version';
export * from './xep0199-ping';
export * from './rfc6121-roster';
export * from './rfc6121-presence';
export * from './rfc6121-im';
export { parseStanzaError, describeStanzaError, buildStanzaError, iqErrorFrom, type StanzaError } from './stanza-error';

export interface DefaultModulesOptions {
  loadRosterCache?: () => RosterCache | undefined;
  /** Whether the server announced roster versioning (XEP-0237) on the current stream. */
  rosterVersioning?: () => boolean;
  appVersion: string;
}

/** A fresh set for one account: the factories keep per-account state (own presence, caps cache). */
export function defaultModules(opts: DefaultModulesOptions): AnyModule[] {
  return [
    discoModule,
    capsModule(),
    versionModule({ name: 'Flint', version: opts.appVersion }),
    pingModule,
    rosterModule({ loadCache: opts.loadRosterCache, rosterVersioning: opts.rosterVersioning }),
    presenceModule(),
    imModule,
  ];
}
