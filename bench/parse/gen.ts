// A deterministic, realistic server→client XMPP stream for the parse benchmark: chat messages
// with CJK/emoji text and entities, presence with XEP-0115 caps, roster pushes/results, and MAM
// (XEP-0313) results wrapping XEP-0297 forwarded messages with XEP-0203 delay; whitespace
// keepalives in between. Same seed → same bytes.

/** mulberry32: small, fast, good enough for test data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['hello', 'meeting', 'tomorrow', 'at', 'the', 'office', 'ok', 'see', 'you', 'lunch', 'deploy', 'build', 'failed', 'again', 'why', 'fixed', 'thanks', 'please', 'review', 'the', 'patch', 'Tom', 'Jerry', 'ticket', 'done'];
const ENTITIES = ['&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#x4e2d;', '&#x6587;', '&#128512;', '&#10;'];
const EMOJI = ['😀', '👍', '🎉', '🚀', '❤️', '😂'];
const GROUPS = ['Friends', 'Work', 'Family', 'Coworkers', '友達', 'Старые друзья'];
const RESOURCES = ['balcony', 'orchard', 'Conversations.abc1', 'gajim.XY12', 'laptop', 'phone'];

export function generateStream(targetBytes: number, seed = 2024): string {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const int = (n: number) => Math.floor(r() * n);
  const hex = (n: number) => { let s = ''; for (let i = 0; i < n; i++) s += '0123456789abcdef'[int(16)]; return s; };
  const cjk = (n: number) => { let s = ''; for (let i = 0; i < n; i++) s += String.fromCharCode(0x4e00 + int(0x5000)); return s; };
  const user = () => `user${int(5000)}@example.org`;
  const full = () => `${user()}/${pick(RESOURCES)}`;
  const text = () => {
    const parts: string[] = [];
    const n = 3 + int(30);
    for (let i = 0; i < n; i++) {
      const k = r();
      if (k < 0.55) parts.push(pick(WORDS));
      else if (k < 0.8) parts.push(cjk(1 + int(12)));
      else if (k < 0.9) parts.push(pick(ENTITIES));
      else parts.push(pick(EMOJI));
    }
    return parts.join(' ');
  };
  const stamp = () => `2024-${String(1 + int(12)).padStart(2, '0')}-${String(1 + int(28)).padStart(2, '0')}T${String(int(24)).padStart(2, '0')}:${String(int(60)).padStart(2, '0')}:${String(int(60)).padStart(2, '0')}.${String(int(1000)).padStart(3, '0')}Z`;
  const me = 'romeo@example.org/orchard';

  const chat = () =>
    `<message from='${full()}' to='${me}' type='chat' id='${hex(16)}' xml:lang='en'><body>${text()}</body>` +
    `<active xmlns='http://jabber.org/protocol/chatstates'/><markable xmlns='urn:xmpp:chat-markers:0'/>` +
    `<origin-id xmlns='urn:xmpp:sid:0' id='${hex(8)}-${hex(4)}-${hex(4)}-${hex(12)}'/><stanza-id xmlns='urn:xmpp:sid:0' by='romeo@example.org' id='${hex(22)}'/></message>`;
  const presence = () =>
    `<presence from='${full()}' to='${me}' xml:lang='en'><show>${pick(['away', 'chat', 'dnd', 'xa'])}</show><status>${text()}</status><priority>${int(50)}</priority>` +
    `<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://conversations.im' ver='${hex(27)}='/>` +
    `<x xmlns='vcard-temp:x:update'><photo>${hex(40)}</photo></x><idle xmlns='urn:xmpp:idle:1' since='${stamp()}'/></presence>`;
  const roster = () => {
    let items = '';
    const n = 5 + int(40);
    for (let i = 0; i < n; i++) {
      items += `<item jid='${user()}' name='${pick(WORDS)} ${cjk(2)} &amp; co' subscription='${pick(['both', 'to', 'from', 'none'])}'><group>${pick(GROUPS)}</group></item>`;
    }
    return `<iq type='result' id='${hex(12)}' to='${me}'><query xmlns='jabber:iq:roster' ver='ver${int(100000)}'>${items}</query></iq>`;
  };
  const mam = () =>
    `<message to='${me}' from='romeo@example.org'><result xmlns='urn:xmpp:mam:2' queryid='${hex(10)}' id='${hex(22)}'>` +
    `<forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='${stamp()}'/>` +
    `<message xmlns='jabber:client' from='${full()}' to='${me}' type='chat' id='${hex(16)}'><body>${text()}</body>` +
    `<origin-id xmlns='urn:xmpp:sid:0' id='${hex(8)}-${hex(4)}-${hex(4)}-${hex(12)}'/></message></forwarded></result></message>`;

  const parts: string[] = [
    "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' " +
      "id='bench-1' from='example.org' to='romeo@example.org' version='1.0' xml:lang='en'>" +
      "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><required/></bind>" +
      "<sm xmlns='urn:xmpp:sm:3'/><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='http://prosody.im' ver='abc='/></stream:features>",
  ];
  let bytes = Buffer.byteLength(parts[0]!, 'utf8');
  while (bytes < targetBytes) {
    const k = r();
    const s = k < 0.4 ? chat() : k < 0.7 ? presence() : k < 0.8 ? roster() : mam();
    const ws = r() < 0.05 ? ' ' : '';
    parts.push(s + ws);
    bytes += Buffer.byteLength(s, 'utf8') + ws.length;
  }
  parts.push('</stream:stream>');
  return parts.join('');
}
