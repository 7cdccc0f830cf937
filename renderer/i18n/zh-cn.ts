// 简体中文。Keys mirror en.ts (i18n.test.ts checks); Chinese has one plural form, so only _other.
// The strings live in zh-cn/, one file per feature area, laid out as en/ is.
import { app, banner, forms, menu, settings } from './zh-cn/app';
import { chat, link, talk } from './zh-cn/chat';
import { blocked, contacts, directory } from './zh-cn/contacts';
import { cert, errors, login, register, validation } from './zh-cn/login';
import { autoAway, password, profile, savedStatus } from './zh-cn/profile';
import { addContact, presence, requests, roster, rosterView, subscriptions } from './zh-cn/roster';
import { transfers } from './zh-cn/transfers';

export const zhCN = {
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
