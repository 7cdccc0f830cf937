// Which devices of a contact are online and what their clients can do, for choosing how to send a
// file: resources from presence events, features from XEP-0115 caps (cached, verified) or a
// direct XEP-0030 disco#info.
import type { ResourcePresence, Show } from '../../../shared/domain';
import type { CoreEvent } from '../../core/events';
import type { CapsApi } from '../../core/modules/xep0115-caps';
import type { DiscoApi } from '../../core/modules/xep0030-disco';

const SHOW_RANK: Record<Show, number> = { chat: 0, available: 1, away: 2, xa: 3, dnd: 4 };

export class PeerDirectory {
  private readonly byBare = new Map<string, Map<string, ResourcePresence>>();

  onEvent(e: CoreEvent): void {
    if (e.type === 'presence.changed') {
      for (const u of e.updates) {
        let m = this.byBare.get(u.jid);
        if (u.presence) {
          if (!m) this.byBare.set(u.jid, (m = new Map()));
          m.set(u.resource, u.presence);
        } else if (m) {
          m.delete(u.resource);
          if (m.size === 0) this.byBare.delete(u.jid);
        }
      }
    } else if (e.type === 'connection.changed' && e.state.status !== 'online') this.byBare.clear();
  }

  /** Full JIDs of the contact's online resources, most available first (show, then priority). */
  resources(bare: string): string[] {
    const m = this.byBare.get(bare);
    if (!m) return [];
    return [...m.entries()]
      .filter(([r]) => r !== '')
      .sort(([, a], [, b]) => SHOW_RANK[a.show] - SHOW_RANK[b.show] || b.priority - a.priority)
      .map(([r]) => `${bare}/${r}`);
  }

  /** The features of a full JID's client: through caps when it announced them, else disco#info. */
  async features(fullJid: string, api: <T>(name: string) => T | undefined): Promise<string[]> {
    const slash = fullJid.indexOf('/');
    const caps = slash > 0 ? this.byBare.get(fullJid.slice(0, slash))?.get(fullJid.slice(slash + 1))?.caps : undefined;
    const capsApi = api<CapsApi>('xep0115-caps');
    if (caps && caps.hash === 'sha-1' && capsApi) return capsApi.featuresOf(caps.ver, fullJid, caps.node);
    const disco = api<DiscoApi>('xep0030-disco');
    if (!disco) return [];
    return (await disco.info(fullJid)).features;
  }
}
