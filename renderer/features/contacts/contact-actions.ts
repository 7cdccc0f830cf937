// Contact use cases (issue 4): each a command to main; the roster, blocklist and presence then
// change through the events main sends, so nothing here updates the store ahead of the server.
import type { CommandArgs } from '../../../shared/ipc/contract';
import type { Contact } from '../../../shared/domain';
import type { RendererApi } from '../../api';
import { action } from '../../store/actions';
import { dispatch } from '../../store/store';

/** "Work, Friends ,, Work" → ['Work', 'Friends']: the Group field takes several, comma-separated. */
export function parseGroups(text: string): string[] {
  return [...new Set(text.split(',').map((g) => g.trim()).filter((g) => g !== ''))];
}

export const renameContact = (api: RendererApi, jid: string, name: string) => api.invoke('roster.update', { jid, name: name.trim() });

/** Move: the contact leaves `from` (or all groups when from is null) for `to`; copy: `to` is added. */
export function groupsAfter(contact: Contact, mode: 'move' | 'copy', from: string | null, to: string[]): string[] {
  const kept = mode === 'copy' ? contact.groups : from === null ? [] : contact.groups.filter((g) => g !== from);
  return [...new Set([...kept, ...to])];
}

export const setGroups = (api: RendererApi, jid: string, groups: string[]) => api.invoke('roster.update', { jid, groups });
export const renameGroup = (api: RendererApi, from: string, to: string) => api.invoke('roster.renameGroup', { from, to: to.trim() });
export const deleteGroup = (api: RendererApi, name: string, removeContacts: boolean) => api.invoke('roster.deleteGroup', { name, removeContacts });
export const removeContact = (api: RendererApi, jid: string) => api.invoke('roster.remove', { jid });
export const block = (api: RendererApi, jids: string[]) => api.invoke('blocklist.block', { jids });
export const unblock = (api: RendererApi, jids: string[]) => api.invoke('blocklist.unblock', { jids });

/** Ask again to see their presence (after a denial, or a contact added by someone else's approval). */
export function requestSubscription(api: RendererApi, contact: Contact) {
  const args: CommandArgs<'roster.add'> = { jid: contact.jid, groups: contact.groups };
  if (contact.name) args.name = contact.name;
  return api.invoke('roster.add', args);
}

export type SubscriptionAnswer = 'accept' | 'acceptAndAdd' | 'deny' | 'block';

/**
 * RFC 6121 §3.1.4: accept (they see us), accept and add (we ask for theirs too), deny; block
 * denies and then blocks them (XEP-0191), so they cannot ask again.
 */
export async function answerRequest(api: RendererApi, jid: string, answer: SubscriptionAnswer): Promise<void> {
  if (answer === 'accept' || answer === 'acceptAndAdd') await api.invoke('subscription.answer', { jid, accept: true, addBack: answer === 'acceptAndAdd' });
  else await api.invoke('subscription.answer', { jid, accept: false });
  if (answer === 'block') await api.invoke('blocklist.block', { jids: [jid] });
  dispatch(action('local.subscriptionAnswered', { jid }));
}
