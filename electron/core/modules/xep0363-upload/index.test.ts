import { describe, expect, it } from 'vitest';
import { flush, ModuleTestBed, stanza, wire } from '../test-context';
import { discoModule } from '../xep0030-disco';
import { imModule } from '../rfc6121-im';
import { tooLargeMessage, uploadModule, UploadError, nameFromUrl, type UploadApi } from '.';
import { parseSlot } from './parse';

const SERVICE_INFO = `<query xmlns='http://jabber.org/protocol/disco#info'><identity category='store' type='file'/>
  <feature var='urn:xmpp:http:upload:0'/>
  <x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'><value>urn:xmpp:http:upload:0</value></field>
  <field var='max-file-size'><value>5242880</value></field></x></query>`;

const setup = () => {
  const host = new ModuleTestBed([discoModule, uploadModule, imModule], { jid: 'alice@example.org/pc' });
  const ctx = host.ctx;
  // The server has two items; only upload.example.org is the upload service.
  ctx.responder = (iq) => {
    const q = iq.elements()[0]!;
    const to = iq.attr('to');
    if (q.ns.endsWith('#info') && to === 'example.org') return stanza(`<query xmlns='http://jabber.org/protocol/disco#info'><identity category='server' type='im'/></query>`);
    if (q.ns.endsWith('#items')) return stanza(`<query xmlns='http://jabber.org/protocol/disco#items'><item jid='conference.example.org'/><item jid='upload.example.org'/></query>`);
    if (q.ns.endsWith('#info') && to === 'upload.example.org') return stanza(SERVICE_INFO);
    if (q.ns.endsWith('#info')) return stanza(`<query xmlns='http://jabber.org/protocol/disco#info'><identity category='conference' type='text'/></query>`);
    return undefined;
  };
  return { host, ctx, api: host.api<UploadApi>('xep0363-upload') };
};

const slotXml = (put: string, headers = '') =>
  stanza(`<slot xmlns='urn:xmpp:http:upload:0'><put url='${put}'>${headers}</put><get url='https://up.example.org/get/abc/f%C3%BC.txt'/></slot>`);

describe('XEP-0363 upload: service discovery and slots', () => {
  it('finds the service among the server items with its max-file-size (XEP-0128 form)', async () => {
    const { api } = setup();
    await expect(api.service()).resolves.toEqual({ jid: 'upload.example.org', maxFileSize: 5242880 });
  });

  it('asks the service for a slot and keeps only Authorization, Cookie and Expires, newlines stripped', async () => {
    const { ctx, api } = setup();
    const p = api.requestSlot({ name: 'fü.txt', size: 1000, mediaType: 'text/plain' });
    await flush();
    const req = ctx.pendingIqs().find((q) => q.attr('to') === 'upload.example.org')!;
    expect(wire(req)).toBe(`<iq type='get' to='upload.example.org' id='${req.attr('id')}'><request xmlns='urn:xmpp:http:upload:0' filename='fü.txt' size='1000' content-type='text/plain'/></iq>`);
    ctx.answerIq(
      req.attr('id')!,
      slotXml(
        'https://up.example.org/put/abc',
        `<header name='Authorization'>Basic Zm9v\r\nX-Evil: 1</header><header name='Cookie'>a=b</header><header name='Expires'>Fri, 01 Jan 2100 00:00:00 GMT</header>` +
          `<header name='Host'>evil.example</header><header name='Content-Length'>1</header><header name='X-Other'>x</header>`,
      ),
    );
    await expect(p).resolves.toEqual({
      service: 'upload.example.org',
      putUrl: 'https://up.example.org/put/abc',
      getUrl: 'https://up.example.org/get/abc/f%C3%BC.txt',
      headers: [
        { name: 'Authorization', value: 'Basic Zm9vX-Evil: 1' },
        { name: 'Cookie', value: 'a=b' },
        { name: 'Expires', value: 'Fri, 01 Jan 2100 00:00:00 GMT' },
      ],
    });
  });

  it('refuses a file above the advertised limit before asking, with the limit in MB', async () => {
    const { ctx, api } = setup();
    const err = await api.requestSlot({ name: 'big.bin', size: 5242881 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UploadError);
    expect(err).toMatchObject({ code: 'too-large', limit: 5242880, message: 'file too large: limit is 5 MB' });
    expect(ctx.sent.some((e) => e.child('request'))).toBe(false);
  });

  it('reports the service’s own <file-too-large/> with its limit', async () => {
    const { ctx, api } = setup();
    const p = api.requestSlot({ name: 'a.bin', size: 100 });
    await flush();
    const req = ctx.pendingIqs().find((q) => q.attr('to') === 'upload.example.org')!;
    ctx.receiveIqResponse(stanza(
      `<iq type='error' id='${req.attr('id')}' from='upload.example.org'><error type='modify'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>` +
        `<file-too-large xmlns='urn:xmpp:http:upload:0'><max-file-size>1048576</max-file-size></file-too-large></error></iq>`,
    ));
    await expect(p).rejects.toMatchObject({ code: 'too-large', message: 'file too large: limit is 1 MB' });
  });

  it('never uses a slot that comes from anyone but the service it asked', async () => {
    const { ctx, api } = setup();
    const p = api.requestSlot({ name: 'a.txt', size: 3 });
    await flush();
    const req = ctx.pendingIqs().find((q) => q.attr('to') === 'upload.example.org')!;
    // The connection takes an answer only from the entity asked (stream/iq-tracker.ts): a forged slot settles nothing.
    const forged = `<iq type='result' id='${req.attr('id')}' from='mallory@evil.example/x'><slot xmlns='urn:xmpp:http:upload:0'><put url='https://evil.example/put'/><get url='https://evil.example/get'/></slot></iq>`;
    expect(ctx.receiveIqResponse(stanza(forged))).toBe(false);
    expect(ctx.pendingIqs()).toContain(req);
    ctx.answerIq(req.attr('id')!, slotXml('https://up.example.org/put/abc'));
    await expect(p).resolves.toMatchObject({ service: 'upload.example.org', putUrl: 'https://up.example.org/put/abc' });
  });

  it('says there is no service when the server has none', async () => {
    const { ctx, api } = setup();
    ctx.responder = (iq) => (iq.elements()[0]!.ns.endsWith('#items') ? stanza(`<query xmlns='http://jabber.org/protocol/disco#items'/>`) : stanza(`<query xmlns='http://jabber.org/protocol/disco#info'/>`));
    await expect(api.requestSlot({ name: 'a', size: 1 })).rejects.toMatchObject({ code: 'no-service' });
  });

  it('rejects slots with non-http URLs or credentials', () => {
    expect(() => parseSlot(slotXml('file:///etc/passwd'), 's')).toThrow(/invalid slot URL/);
    expect(() => parseSlot(slotXml('https://user:pw@up.example.org/x'), 's')).toThrow(/invalid slot URL/);
    expect(() => parseSlot(slotXml('javascript:alert(1)'), 's')).toThrow(/invalid slot URL/);
    expect(() => parseSlot(undefined, 's')).toThrow(/without a slot/);
  });

  it('words the limit', () => {
    expect(tooLargeMessage(100 * 1024 * 1024)).toBe('file too large: limit is 100 MB');
    expect(tooLargeMessage(1536 * 1024)).toBe('file too large: limit is 1.5 MB');
  });
});

describe('XEP-0363 upload: sharing', () => {
  it('sends the URL as body with XEP-0066 oob and XEP-0447/0446 metadata', () => {
    const { ctx, api } = setup();
    const m = api.share('bob@example.org', 'https://up.example.org/get/abc/a.png', {
      name: 'a.png',
      size: 42,
      mediaType: 'image/png',
      hashes: [{ algo: 'sha-256', value: 'LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=' }],
    });
    expect(wire(ctx.sentOf('message')[0]!)).toBe(
      `<message type='chat' to='bob@example.org' id='${m.id}'><body>https://up.example.org/get/abc/a.png</body><origin-id xmlns='urn:xmpp:sid:0' id='${m.id}'/>` +
        `<x xmlns='jabber:x:oob'><url>https://up.example.org/get/abc/a.png</url></x>` +
        `<file-sharing xmlns='urn:xmpp:sfs:0' disposition='inline'><file xmlns='urn:xmpp:file:metadata:0'><media-type>image/png</media-type><name>a.png</name><size>42</size>` +
        `<hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=</hash></file>` +
        `<sources><url-data xmlns='http://jabber.org/protocol/url-data' target='https://up.example.org/get/abc/a.png'/></sources></file-sharing></message>`,
    );
  });

  it('turns an incoming share into file.offered without consuming the message', async () => {
    const { host, ctx } = setup();
    await host.receive(
      stanza(
        `<message type='chat' from='bob@example.org/phone' id='m1'><body>https://up.example.org/get/x/report.pdf</body>` +
          `<x xmlns='jabber:x:oob'><url>https://up.example.org/get/x/report.pdf</url></x>` +
          `<file-sharing xmlns='urn:xmpp:sfs:0'><file xmlns='urn:xmpp:file:metadata:0'><name>../../.bashrc</name><size>12</size><media-type>Application/PDF</media-type>` +
          `<hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=</hash><hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>bad</hash></file></file-sharing></message>`,
      ),
    );
    expect(ctx.eventsOf('file.offered')).toEqual([
      {
        type: 'file.offered',
        offer: {
          method: 'upload',
          sid: 'm1',
          from: 'bob@example.org/phone',
          peer: 'bob@example.org',
          name: '../../.bashrc',
          size: 12,
          mediaType: 'application/pdf',
          hashes: [{ algo: 'sha-256', value: 'LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=' }],
          url: 'https://up.example.org/get/x/report.pdf',
        },
      },
    ]);
    // rfc6121-im still got it (the share is an ordinary message with a link for everyone else).
    expect(ctx.eventsOf('message.received')).toHaveLength(1);
  });

  it('takes a plain oob link, names the file after the URL, and ignores non-http links and errors', async () => {
    const { host, ctx } = setup();
    await host.receive(stanza(`<message type='chat' from='bob@example.org/x' id='m2'><body>look</body><x xmlns='jabber:x:oob'><url>https://h.example/d/a%20b.txt?x=1</url></x></message>`));
    await host.receive(stanza(`<message type='chat' from='bob@example.org/x' id='m3'><body>x</body><x xmlns='jabber:x:oob'><url>file:///etc/passwd</url></x></message>`));
    await host.receive(stanza(`<message type='error' from='bob@example.org/x' id='m4'><x xmlns='jabber:x:oob'><url>https://h.example/e</url></x></message>`));
    const offers = ctx.eventsOf('file.offered').map((e) => e.offer);
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({ name: 'a b.txt', url: 'https://h.example/d/a%20b.txt?x=1', body: 'look', hashes: [] });
    expect(nameFromUrl('https://h.example/')).toBe('file');
    expect(nameFromUrl('https://h.example/%E0%A4%A')).toBe('%E0%A4%A');
  });
});
