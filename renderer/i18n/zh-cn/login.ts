// 简体中文 for en/login.ts: the same keys (i18n.test.ts checks).

export const login = {
  title: '登录',
  subtitle: '使用你的 XMPP（Jabber）账号。',
  jid: 'Jabber ID',
  jidPlaceholder: 'alice@example.org',
  password: '密码',
  remember: '记住密码',
  signIn: '登录',
  signingIn: '正在登录…',
  cancel: '取消',
  advanced: '高级',
  host: '服务器',
  hostHint: '留空则根据 Jabber ID 自动查找服务器。',
  port: '端口',
  tlsMode: 'TLS 模式',
  tls: {
    starttls: '必须使用 STARTTLS',
    directtls: '直接 TLS',
    plaintext: '允许明文',
  },
  plaintextWarning: '允许明文：如果服务器不提供加密，你的密码和消息可能被传输途中的任何人看到。',
  resource: '资源',
  resourceHint: '留空则由服务器分配。',
};

export const validation = {
  jidRequired: '请输入你的 Jabber ID，例如 alice@example.org。',
  jidInvalid: 'Jabber ID 的格式为 名称@服务器，例如 alice@example.org。',
  passwordRequired: '请输入密码。',
  portInvalid: '端口应为 1 到 65535 之间的数字。',
  contactJidInvalid: '请输入联系人的 Jabber ID，例如 bob@example.org。',
};

export const errors = {
  'wrong-password': '密码错误，或该服务器上没有这个账号。',
  'auth-failed': '服务器拒绝了登录：{{detail}}',
  unreachable: '无法连接到服务器。请检查 Jabber ID（或服务器名称）以及网络连接。',
  timeout: '服务器没有及时响应。请检查服务器名称以及网络连接。',
  'no-tls': '服务器不提供加密（STARTTLS）。只有在你信任当前网络时，才在“高级”中选择“允许明文”。',
  'tls-failed': '无法与服务器建立安全连接：{{detail}}',
  'cert-untrusted': '服务器的证书不受信任。',
  conflict: '你在别处使用相同的资源登录了，因此本会话已被关闭。',
  downgrade: '服务器提供的登录方式比以前更弱，Flint 已停止连接（这可能是攻击）。',
  'no-mechanism': '服务器没有提供 Flint 认为安全的登录方式。',
  'server-signature': '服务器无法证明它知道你的密码（这可能是攻击）。',
  'policy-violation': '服务器关闭了连接：{{detail}}',
  'stream-error': '服务器关闭了连接：{{detail}}',
  protocol: '服务器发送了 Flint 无法理解的内容：{{detail}}',
  closed: '连接已关闭：{{detail}}',
  unknown: '出现问题：{{detail}}',
  command: 'Flint 无法完成此操作：{{detail}}',
};

export const cert = {
  title: '不受信任的证书',
  intro: '服务器 {{domain}} 出示了一个 Flint 无法验证的证书。',
  problems: {
    'self-signed': '这是自签名证书：没有任何证书颁发机构为其担保。',
    'untrusted-issuer': '它由 Flint 不信任的机构颁发。',
    expired: '它已过期。',
    'not-yet-valid': '它尚未生效。',
    'hostname-mismatch': '它是为另一个服务器名称颁发的。',
    other: '无法验证它。',
  },
  advice: '只有在确定该服务器使用这个证书时才信任它——最好与服务器管理员提供的指纹核对。',
  subject: '主体',
  issuer: '颁发者',
  validity: '有效期',
  validRange: '从 {{from}} 到 {{to}}',
  altNames: '名称',
  fingerprint: 'SHA-256 指纹',
  trust: '信任此证书',
  cancel: '取消',
};

export const register = {
  open: '创建账号',
  title: '创建账号',
  intro: '在允许注册的服务器上创建账号，可在任何 XMPP 应用中使用。',
  domain: '服务器',
  domainRequired: '请输入服务器，例如 example.org。',
  via: '通过 {{host}} 连接（高级设置）。',
  continue: '继续',
  connecting: '正在连接…',
  server: '在 {{domain}} 上创建新账号',
  web: '该服务器也提供网页注册：{{url}}',
  submit: '创建账号',
  rejected: '服务器未创建账号：{{detail}}',
  failed: '无法创建账号：{{detail}}',
  done: '账号 {{jid}} 已创建。现在可以用它登录。',
};
