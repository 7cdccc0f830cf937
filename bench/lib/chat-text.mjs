// Deterministic chat-like text (bench/history/run.mjs, bench/history/open-browser.mjs): a xorshift32
// generator from a fixed seed, and message bodies from it — 80 % English from a Zipf-weighted
// vocabulary, 20 % Chinese. The same seed and options give the same text, byte for byte.

const EN = (
  'the a to and of I you it is in that for on we this be with have are not do at can but so was what if just about ' +
  'will they my me your all there get one like know up out now time think see how when some more meeting today ' +
  'tomorrow lunch code review deploy server client message release ticket branch merge test build thanks please ' +
  'sure okay yes no maybe later call send file update check issue fix bug feature design team project plan week ' +
  'report data network cache query index latency backup migration schema table log error warning config docs'
).split(' ');
const ZH = '我们 你好 今天 明天 会议 数据 服务器 问题 已经 可以 没有 谢谢 项目 测试 发布 代码 时间 文件 消息 一下 现在 因为 所以 但是 这个 那个 什么 怎么 还是 应该'.split(' ');

/**
 * `rand()` in [0, 1) and `body()`, which draws from it. `extraWords` join the end of the English
 * vocabulary (its rarest words); `rare` terms are added to about 1 % of the bodies of their language,
 * on their own (a search term of a known, mid frequency).
 * @param {{ seed?: number, extraWords?: string[], rare?: { en: string, zh: string } }} [opts]
 */
export function chatText({ seed = 0x2545f491, extraWords = [], rare } = {}) {
  const en = [...EN, ...extraWords];
  let x = seed;
  const rand = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  function body() {
    if (rand() < 0.2) {
      const n = 3 + Math.floor(rand() * 8);
      let s = '';
      for (let i = 0; i < n; i++) s += ZH[Math.floor(ZH.length * rand() ** 1.6)];
      if (rare && rand() < 0.01) s += rare.zh;
      return s + (rand() < 0.5 ? '。' : '');
    }
    const n = 3 + Math.floor(rand() * 14);
    const words = [];
    for (let i = 0; i < n; i++) words.push(en[Math.floor(en.length * rand() ** 2.2)]);
    if (rare && rand() < 0.01) words.splice(Math.floor(rand() * words.length), 0, rare.en);
    const s = words.join(' ');
    return s[0].toUpperCase() + s.slice(1) + (rand() < 0.3 ? '?' : '.');
  }
  return { rand, body };
}
