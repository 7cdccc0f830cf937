import { describe, expect, it } from 'vitest';
import { stanza, wire } from '../test-context';
import { buildOob, parseHttpUrl, parseOob } from '.';

describe('XEP-0066 out-of-band data (message form)', () => {
  it('reads the URL and description (§3 example) and builds the element', () => {
    const m = stanza(`<message from='stpeter@jabber.org/work' to='MaineBoy@jabber.org/home'><body>Yeah, but do you have a license to Jabber?</body>` +
      `<x xmlns='jabber:x:oob'><url>http://www.jabber.org/images/psa-license.jpg</url><desc>A license to Jabber!</desc></x></message>`);
    expect(parseOob(m)).toEqual({ url: 'http://www.jabber.org/images/psa-license.jpg', desc: 'A license to Jabber!' });
    expect(wire(buildOob({ url: 'https://a.example/x' }))).toBe(`<x xmlns='jabber:x:oob'><url>https://a.example/x</url></x>`);
  });

  it.each([
    ['javascript:alert(1)', undefined],
    ['file:///etc/passwd', undefined],
    ['data:text/html,<b>x</b>', undefined],
    ['https://user:pw@host.example/x', undefined],
    ['https://host.example/a b', undefined],
    ['https://host.example/a\u0000b', undefined],
    ['https://exa_mple.com/x', undefined],
    ['HTTPS://Host.example:8443/p?q#f', 'https://Host.example:8443/p?q#f'],
    ['https://[2001:db8::1]/x', 'https://[2001:db8::1]/x'],
    ['https://host.example', 'https://host.example/'],
  ])('%j → %j', (raw, url) => {
    expect(parseHttpUrl(raw)).toBe(url);
  });
});
