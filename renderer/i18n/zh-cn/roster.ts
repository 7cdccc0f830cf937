// 简体中文 for en/roster.ts: the same keys (i18n.test.ts checks).

export const presence = {
  chat: '空闲可聊天',
  available: '在线',
  away: '离开',
  xa: '长时间离开',
  dnd: '请勿打扰',
  offline: '离线',
  pending: '等待对方批准',
  status: '状态',
  statusMessage: '状态消息',
  statusMessagePlaceholder: '你在做什么？',
  you: '你',
};

export const roster = {
  label: '联系人',
  filter: '筛选联系人',
  filterPlaceholder: '筛选…',
  addContact: '添加联系人',
  showOffline: '显示离线联系人',
  ungrouped: '联系人',
  offline: '离线',
  groupHeader: '{{name}}（{{online}}/{{total}}）',
  offlineHeader: '{{name}}（{{total}}）',
  contactName: '{{name}}，{{presence}}',
  unread_other: '{{count}} 条未读消息',
  empty: '还没有联系人。点击“添加联系人”来添加。',
  allOffline: '没有人在线。打开“显示离线联系人”可查看所有人。',
  noMatch: '没有与“{{filter}}”匹配的联系人。',
  summary: '{{total}} 人中 {{online}} 人在线',
};

export const addContact = {
  title: '添加联系人',
  jid: 'Jabber ID',
  name: '名称',
  group: '分组',
  optional: '可选',
  hint: '对方会收到请求，询问是否允许你看到其在线状态。',
  add: '添加',
  cancel: '取消',
};

export const subscriptions = {
  label: '联系人请求',
  wants: '{{who}} 想添加你为联系人。',
  accept: '接受',
  deny: '拒绝',
  acceptLabel: '接受 {{jid}}',
  denyLabel: '拒绝 {{jid}}',
};

export const requests = {
  title_other: '{{count}} 个联系人请求',
  acceptAndAdd: '接受并添加',
  acceptAndAddLabel: '接受并添加 {{jid}}',
  acceptAndAddHint: '允许对方查看你的状态，并请求查看对方的状态',
  acceptHint: '允许对方查看你的状态',
  block: '屏蔽',
  blockLabel: '屏蔽 {{jid}}',
  blockHint: '拒绝并屏蔽：不再接收对方的请求和消息',
  acceptAll: '全部接受',
  denyAll: '全部拒绝',
};

export const rosterView = {
  options: '显示选项',
  sort: '联系人排序',
  byName: '按名称',
  byPresence: '按状态',
  showEmptyGroups: '显示无人在线的分组',
};
