// 简体中文 for en/profile.ts: the same keys (i18n.test.ts checks).

export const profile = {
  open: '编辑个人资料',
  title: '编辑个人资料',
  picture: '你的头像',
  loading: '正在加载你的资料…',
  fields: {
    fn: '全名',
    nickname: '昵称',
    email: '电子邮件',
    tel: '电话',
    org: '单位',
    title: '职位',
  },
  severalHint: '多个请用逗号分隔。',
  choosePhoto: '选择头像…',
  removePhoto: '移除头像',
  photoHint: '缩放至最大 192×192 像素；你的联系人可以看到。',
  photoUnreadable: 'Flint 无法读取该文件中的图片。',
  save: '保存',
  saving: '正在保存…',
};

export const autoAway = {
  title: '自动离开',
  enabled: '空闲时将我的状态设为离开',
  awayAfter: '多少分钟后设为离开',
  xaAfter: '多少分钟后设为长时间离开',
  hint: '空闲指这台电脑上没有键盘或鼠标操作。你回来后状态会自动恢复。',
  invalid: '请输入 1 到 1440 之间的整数分钟。',
  xaBeforeAway: '长时间离开不能早于离开。',
};

export const savedStatus = {
  title: '已保存的状态消息',
  save: '保存状态消息',
  none: '暂无。输入状态消息后选择“保存状态消息”。',
  forget: '移除',
  forgetLabel: '移除已保存的状态 {{status}}',
};

export const password = {
  section: '账号',
  open: '修改密码…',
  title: '修改密码',
  new: '新密码',
  confirm: '确认新密码',
  required: '请输入新密码。',
  mismatch: '两次输入的密码不一致。',
  submit: '修改密码',
  done: '密码已修改。今后请使用新密码。',
};
