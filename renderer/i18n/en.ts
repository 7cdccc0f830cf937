// English strings: the reference set. Every key here must exist in zh-cn.ts (i18n.test.ts checks).
// Plurals use i18next's _one/_other suffixes (Intl.PluralRules categories).
// The strings live in en/, one file per feature area, one export per namespace. They are put
// together here by name, so two areas defining the same namespace is a compile error, not a
// silent overwrite (as spreading whole area objects would be).
import { app, banner, forms, menu, settings } from './en/app';
import { chat, link, talk } from './en/chat';
import { blocked, contacts, directory } from './en/contacts';
import { cert, errors, login, register, validation } from './en/login';
import { autoAway, password, profile, savedStatus } from './en/profile';
import { addContact, presence, requests, roster, rosterView, subscriptions } from './en/roster';
import { transfers } from './en/transfers';

export const en = {
  app,
  login,
  validation,
  errors,
  cert,
  presence,
  roster,
  addContact,
  subscriptions,
  chat,
  talk,
  link,
  banner,
  menu,
  settings,
  contacts,
  requests,
  rosterView,
  profile,
  autoAway,
  savedStatus,
  password,
  blocked,
  directory,
  register,
  transfers,
  forms,
};

/** The shape every translation has: the same keys, string leaves. */
export type Translation = typeof en;
