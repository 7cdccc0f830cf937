// XEP-0092: Software Version — https://xmpp.org/extensions/xep-0092.html
// Namespace: jabber:iq:version
import { defineModule, NS } from '../../module';
import { buildVersionAnswer, buildVersionRequest } from './build';
import { parseVersion, type SoftwareVersion } from './parse';

export type { SoftwareVersion } from './parse';

export interface VersionApi {
  /** Asks an entity which software it runs. */
  query(jid: string): Promise<SoftwareVersion>;
}

export interface VersionOptions {
  name: string;
  version: string;
}

export function versionModule(opts: VersionOptions) {
  return defineModule<undefined, VersionApi>({
    name: 'xep0092-version',
    features: [NS.version],
    // Privacy: XEP-0092 makes <os/> optional, and its security considerations warn that it tells
    // whoever asks — a contact or a stranger, since any JID can send this iq — which platform to
    // attack. We never send it.
    iq: [{ type: 'get', ns: NS.version, child: 'query', handle: () => buildVersionAnswer(opts.name, opts.version) }],
    api: (ctx) => ({
      async query(jid) {
        const result = await ctx.iq(buildVersionRequest(jid));
        return parseVersion(result.child('query', NS.version));
      },
    }),
  });
}
