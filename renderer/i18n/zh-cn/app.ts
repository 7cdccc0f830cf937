// 简体中文 for en/app.ts: the same keys (i18n.test.ts checks).

export const app = {
  name: 'Flint',
  starting: '正在启动 Flint…',
  startFailed: 'Flint 无法启动：{{detail}}',
  bridgeLost: '与 Flint 服务的连接已断开，正在重试…',
};

export const banner = {
  label: '连接状态',
  connecting: '正在连接…',
  authenticating: '正在登录…',
  reconnectingIn_other: '连接已断开。{{count}} 秒后重新连接…',
  reconnecting: '连接已断开。正在重新连接…',
  offline: '你已离线。',
  failed: '已断开连接。{{reason}}',
  reconnectNow: '立即重新连接',
};

export const menu = {
  account: '账号',
  settings: '设置',
  signOut: '退出登录',
};

export const settings = {
  title: '设置',
  theme: '主题',
  themes: {
    system: '跟随系统',
    light: '浅色',
    dark: '深色',
  },
  language: '语言',
  languages: {
    system: '跟随系统',
    en: 'English（英语）',
    'zh-CN': '简体中文',
  },
  close: '关闭',
};

export const forms = {
  none: '（无）',
  onePerLine: '每行一个。',
  problem: {
    required: '此项必填。',
    'single-value': '只能填写一个值。',
    'not-boolean': '请选择是或否。',
    'not-a-jid': '请输入形如 name@example.org 的 Jabber ID。',
    'not-an-option': '请从选项中选择。',
  },
};
