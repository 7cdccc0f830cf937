// The contact and group menus and the dialogs they open. Rows are virtualized (a row scrolled out
// of view is unmounted), so menus and dialogs live here, above the tree: a row only asks for its
// menu through the context, with the element to anchor it to and to give focus back to.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { displayName } from '../../store/roster-rows';
import { getState } from '../../store/store';
import { Button } from '../../ui/button';
import { Menu, type MenuEntry } from '../../ui/menu';
import { useSession } from '../app/session-context';
import { block, requestSubscription, setGroups, unblock } from './contact-actions';
import { ContactDetailsDialog } from './contact-details-dialog';
import { DeleteGroupDialog, GroupDialog, RemoveContactDialog, RenameContactDialog, RenameGroupDialog } from './contact-dialogs';
import { errorText } from '../../../shared/error-text';

type Anchor = HTMLElement | { x: number; y: number };

export interface ContactMenus {
  /** `group`: the named group of the row it was opened from (null: ungrouped or the Offline bucket). */
  openContactMenu(jid: string, group: string | null, anchor: Anchor, returnFocus: HTMLElement | null): void;
  openGroupMenu(group: string, anchor: Anchor, returnFocus: HTMLElement | null): void;
  showDetails(jid: string): void;
}

const Ctx = createContext<ContactMenus | null>(null);

export function useContactMenus(): ContactMenus | null {
  return useContext(Ctx);
}

type MenuState =
  | { kind: 'contact'; jid: string; group: string | null; anchor: Anchor; returnFocus: HTMLElement | null }
  | { kind: 'group'; group: string; anchor: Anchor; returnFocus: HTMLElement | null };

type DialogState =
  | { kind: 'details' | 'rename' | 'remove'; jid: string }
  | { kind: 'move' | 'copy'; jid: string; group: string | null }
  | { kind: 'renameGroup' | 'deleteGroup'; group: string };

export function ContactMenusProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  const [menu, setMenu] = useState<MenuState | null>(null);
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [error, setError] = useState<string | null>(null);

  const api = useMemo<ContactMenus>(
    () => ({
      openContactMenu: (jid, group, anchor, returnFocus) => setMenu({ kind: 'contact', jid, group, anchor, returnFocus }),
      openGroupMenu: (group, anchor, returnFocus) => setMenu({ kind: 'group', group, anchor, returnFocus }),
      showDetails: (jid) => setDialog({ kind: 'details', jid }),
    }),
    [],
  );

  const attempt = useCallback(
    (p: Promise<unknown>) => {
      setError(null);
      p.catch((err: unknown) => setError(t('errors.command', { detail: errorText(err) })));
    },
    [t],
  );

  const entries = (m: MenuState): MenuEntry[] => {
    const s = getState();
    if (m.kind === 'group') {
      return [
        { id: 'rename', label: t('contacts.menu.renameGroup'), onSelect: () => setDialog({ kind: 'renameGroup', group: m.group }) },
        { id: 'delete', label: t('contacts.menu.deleteGroup'), danger: true, onSelect: () => setDialog({ kind: 'deleteGroup', group: m.group }) },
      ];
    }
    const contact = s.roster.contacts[m.jid];
    const blocked = s.profile.blocked[m.jid] === true;
    const list: MenuEntry[] = [
      { id: 'chat', label: t('contacts.menu.openChat'), onSelect: () => session.openChat(m.jid, true) },
      { id: 'details', label: t('contacts.menu.details'), onSelect: () => setDialog({ kind: 'details', jid: m.jid }) },
    ];
    if (contact) {
      list.push(
        { kind: 'separator', id: 's1' },
        { id: 'rename', label: t('contacts.menu.rename'), onSelect: () => setDialog({ kind: 'rename', jid: m.jid }) },
        { id: 'move', label: t('contacts.menu.move'), onSelect: () => setDialog({ kind: 'move', jid: m.jid, group: m.group }) },
        { id: 'copy', label: t('contacts.menu.copy'), onSelect: () => setDialog({ kind: 'copy', jid: m.jid, group: m.group }) },
      );
      if (m.group !== null && contact.groups.includes(m.group)) {
        const group = m.group;
        list.push({ id: 'leave', label: t('contacts.menu.removeFromGroup', { group }), onSelect: () => attempt(setGroups(session.api, contact.jid, contact.groups.filter((g) => g !== group))) });
      }
      if (!contact.ask && (contact.subscription === 'none' || contact.subscription === 'from')) {
        list.push({ id: 'subscribe', label: t('contacts.menu.requestSubscription'), onSelect: () => attempt(requestSubscription(session.api, contact)) });
      }
    }
    list.push(
      { kind: 'separator', id: 's2' },
      blocked
        ? { id: 'unblock', label: t('contacts.menu.unblock'), onSelect: () => attempt(unblock(session.api, [m.jid])) }
        : { id: 'block', label: t('contacts.menu.block'), onSelect: () => attempt(block(session.api, [m.jid])) },
    );
    if (contact) list.push({ id: 'remove', label: t('contacts.menu.remove'), danger: true, onSelect: () => setDialog({ kind: 'remove', jid: m.jid }) });
    return list;
  };

  const menuLabel = (m: MenuState): string => {
    if (m.kind === 'group') return t('contacts.menu.groupLabel', { group: m.group });
    const c = getState().roster.contacts[m.jid];
    return t('contacts.menu.contactLabel', { name: c ? displayName(c) : m.jid });
  };

  const closeDialog = () => setDialog(null);
  const contactOf = (jid: string) => getState().roster.contacts[jid];

  let dialogView: ReactNode = null;
  if (dialog && 'group' in dialog && !('jid' in dialog)) {
    dialogView = dialog.kind === 'renameGroup' ? <RenameGroupDialog group={dialog.group} onClose={closeDialog} /> : <DeleteGroupDialog group={dialog.group} onClose={closeDialog} />;
  } else if (dialog && 'jid' in dialog) {
    const c = contactOf(dialog.jid);
    if (dialog.kind === 'details') dialogView = <ContactDetailsDialog jid={dialog.jid} onClose={closeDialog} />;
    else if (c && 'group' in dialog) dialogView = <GroupDialog contact={c} mode={dialog.kind} fromGroup={dialog.group} onClose={closeDialog} />;
    else if (c) dialogView = dialog.kind === 'rename' ? <RenameContactDialog contact={c} onClose={closeDialog} /> : <RemoveContactDialog contact={c} onClose={closeDialog} />;
  }

  return (
    <Ctx.Provider value={api}>
      {error ? (
        <div className="contacts__error" role="alert">
          <span>{error}</span>
          <Button size="small" variant="ghost" onClick={() => setError(null)}>
            {t('contacts.dismiss')}
          </Button>
        </div>
      ) : null}
      {children}
      {menu ? <Menu label={menuLabel(menu)} entries={entries(menu)} anchor={menu.anchor} returnFocus={menu.returnFocus} onClose={() => setMenu(null)} /> : null}
      {dialogView}
    </Ctx.Provider>
  );
}
