// XEP-0055: Jabber Search — https://xmpp.org/extensions/xep-0055.html
// Namespace: jabber:iq:search. User directories (ejabberd's vjud): ask the fields, submit,
// read the rows. Forms cross to the renderer as shared/forms.ts data and are drawn generically.
import { defineModule } from '../../module';
import type { FormValues, SearchForm, SearchResult } from '../../../../shared/forms';
import type { DiscoApi } from '../xep0030-disco';
import { buildFieldsRequest, buildSearch } from './build';
import { parseSearchForm, parseSearchResult, SEARCH_NS } from './parse';

export { SEARCH_NS, parseSearchForm, parseSearchResult, LEGACY_LABELS } from './parse';
export { buildSearch } from './build';

export const SEARCH_MODULE = 'xep0055-search';

export interface SearchService {
  jid: string;
  name?: string;
}

export interface SearchApi {
  /** §2: the search form of a directory service. */
  fields(service: string): Promise<SearchForm>;
  /** §2–§4: runs a search with the form fields() gave and the user's values. */
  search(service: string, form: SearchForm, values: FormValues): Promise<SearchResult>;
  /**
   * The directories our server offers: its disco#items whose disco#info has identity
   * directory/user or the jabber:iq:search feature (XEP-0055 §5). Items that do not answer are left out.
   */
  services(): Promise<SearchService[]>;
}

export const searchModule = defineModule<undefined, SearchApi>({
  name: SEARCH_MODULE,
  api: (ctx) => ({
    async fields(service) {
      const result = await ctx.iq(buildFieldsRequest(service));
      return parseSearchForm(result.child('query', SEARCH_NS));
    },
    async search(service, form, values) {
      const result = await ctx.iq(buildSearch(service, form, values));
      return parseSearchResult(result.child('query', SEARCH_NS));
    },
    async services() {
      const disco = ctx.module<DiscoApi>('xep0030-disco');
      const items = await disco.items(ctx.domain);
      const infos = await Promise.allSettled(items.map((item) => disco.info(item.jid, item.node)));
      const found: SearchService[] = [];
      infos.forEach((r, i) => {
        if (r.status !== 'fulfilled') return;
        const dir = r.value.identities.find((id) => id.category === 'directory' && id.type === 'user');
        if (!dir && !r.value.features.includes(SEARCH_NS)) return;
        const name = dir?.name ?? items[i]!.name;
        if (!found.some((s) => s.jid === items[i]!.jid)) found.push({ jid: items[i]!.jid, ...(name ? { name } : {}) });
      });
      return found;
    },
  }),
});
