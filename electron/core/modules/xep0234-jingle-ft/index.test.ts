import { describe, expect, it } from 'vitest';
import { flush, ModuleTestBed, stanza, wire } from '../test-context';
import { candidatePriority, jingleModule, selectCandidate, type JingleAction, type JingleApi, type S5bCandidate } from '.';
import { parseJingle } from './parse';

const PEER = 'romeo@montague.example/dr4hcr0st3lup4c';
const setup = () => {
  const host = new ModuleTestBed([jingleModule], { jid: 'juliet@capulet.example/yn0cl4bnw0yr3vym' });
  return { host, ctx: host.ctx, api: host.api<JingleApi>('xep0234-jingle-ft') };
};
const errorOf = (res: { child(n: string): { elements(): { name: string }[] } | undefined } | undefined) => res?.child('error')?.elements()[0]?.name;

// XEP-0234 Example 1 (session-initiate with an S5B transport, XEP-0260 Example 1), lightly trimmed.
const INITIATE = (from = PEER, extra = '', senders = 'initiator', desc = `<description xmlns='urn:xmpp:jingle:apps:file-transfer:5'>
  <file><date>1969-07-21T02:56:15Z</date><desc>This is a test. If this were a real file...</desc><media-type>text/plain</media-type>
  <name>test.txt</name><size>6144</size><hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>w0mcJylzCn+AfvuGdqkty2+KP48=</hash>
  <hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=</hash></file></description>`) =>
  stanza(`<iq from='${from}' id='nzu25s8' to='juliet@capulet.example/yn0cl4bnw0yr3vym' type='set'>
  <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' initiator='${PEER}' sid='851ba2'>
    <content creator='initiator' name='a-file-offer' senders='${senders}'>${desc}
      <transport xmlns='urn:xmpp:jingle:transports:s5b:1' mode='tcp' sid='vj3hs98y' dstaddr='972B7BF47291CA609517F67F86B5081086052DAD'>
        <candidate cid='hft54dqy' host='192.168.4.1' jid='${PEER}' port='5086' priority='8257636' type='direct'/>
        <candidate cid='hutr46fe' host='24.24.24.1' jid='${PEER}' port='5087' priority='8258636' type='direct'/>
        <candidate cid='xmdh4b7i' host='123.456.7.8' jid='streamer.shakespeare.example' port='7625' priority='7878787' type='proxy'/>
        <candidate cid='bad' host='x' jid='a@b/c' port='99999' priority='1'/>
      </transport></content>${extra}
  </jingle></iq>`);

describe('XEP-0234 Jingle file transfer: incoming sessions', () => {
  it('acknowledges an offer and reports it with the first usable hash per algorithm', async () => {
    const { host, ctx, api } = setup();
    const res = await host.receive(INITIATE());
    expect(res!.attr('type')).toBe('result');
    expect(ctx.eventsOf('file.offered')).toEqual([
      {
        type: 'file.offered',
        offer: {
          method: 'jingle', sid: '851ba2', from: PEER, peer: 'romeo@montague.example', name: 'test.txt', size: 6144,
          mediaType: 'text/plain', desc: 'This is a test. If this were a real file...', date: '1969-07-21T02:56:15Z',
          hashes: [{ algo: 'sha-256', value: 'LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=' }],
        },
      },
    ]);
    const t = api.session('851ba2')!.offer!.transport!;
    // '123.456.7.8' is not an address and port 99999 is out of range: both candidates dropped.
    expect(t).toEqual({
      kind: 's5b', sid: 'vj3hs98y', dstaddr: '972b7bf47291ca609517f67f86b5081086052dad',
      candidates: [
        { cid: 'hft54dqy', host: '192.168.4.1', jid: PEER, port: 5086, priority: 8257636, type: 'direct' },
        { cid: 'hutr46fe', host: '24.24.24.1', jid: PEER, port: 5087, priority: 8258636, type: 'direct' },
      ],
    });
  });

  it('terminates offers it cannot take: other applications, file requests, unknown transports', async () => {
    const { host, ctx } = setup();
    await host.receive(INITIATE(PEER, '', 'initiator', `<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/>`));
    await host.receive(stanza(`<iq from='${PEER}' id='r2' type='set'><jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' initiator='${PEER}' sid='req1'>
      <content creator='initiator' name='a' senders='responder'><description xmlns='urn:xmpp:jingle:apps:file-transfer:5'><file><name>x</name></file></description>
      <transport xmlns='urn:xmpp:jingle:transports:ibb:1' sid='i1' block-size='4096'/></content></jingle></iq>`));
    await host.receive(stanza(`<iq from='${PEER}' id='r3' type='set'><jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' initiator='${PEER}' sid='ice1'>
      <content creator='initiator' name='a' senders='initiator'><description xmlns='urn:xmpp:jingle:apps:file-transfer:5'><file><name>x</name></file></description>
      <transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'/></content></jingle></iq>`));
    await flush();
    const reasons = ctx.pendingIqs().map((q) => q.child('jingle')!.child('reason')!.elements()[0]!.name);
    expect(reasons).toEqual(['unsupported-applications', 'unsupported-applications', 'unsupported-transports']);
    expect(ctx.eventsOf('file.offered')).toEqual([]);
  });

  it('refuses an initiate whose initiator is not the sender, and a duplicate sid', async () => {
    const { host } = setup();
    expect(errorOf(await host.receive(INITIATE('mallory@evil.example/x')))).toBe('bad-request');
    await host.receive(INITIATE());
    expect(errorOf(await host.receive(INITIATE()))).toBe('conflict');
  });

  it('answers unknown-session for actions on sessions we do not have, or from someone else', async () => {
    const { host, ctx, api } = setup();
    const info = (from: string, sid: string) =>
      stanza(`<iq from='${from}' id='t1' type='set'><jingle xmlns='urn:xmpp:jingle:1' action='session-terminate' sid='${sid}'><reason><success/></reason></jingle></iq>`);
    expect(errorOf(await host.receive(info(PEER, 'nope')))).toBe('item-not-found');
    await host.receive(INITIATE());
    const seen: JingleAction[] = [];
    api.listen('851ba2', (a) => seen.push(a));
    const spoof = await host.receive(info('mallory@evil.example/x', '851ba2'));
    expect(errorOf(spoof)).toBe('item-not-found');
    expect(spoof!.child('error')!.childText('text', 'urn:ietf:params:xml:ns:xmpp-stanzas')).toBe('unknown-session');
    expect(ctx.eventsOf('security.rejected')).toHaveLength(1);
    await flush();
    expect(seen).toEqual([]);
    expect(api.session('851ba2')).toBeDefined();
  });

  it('reports a withdrawn offer (terminate before we answered)', async () => {
    const { host, ctx, api } = setup();
    await host.receive(INITIATE());
    await host.receive(stanza(`<iq from='${PEER}' id='t2' type='set'><jingle xmlns='urn:xmpp:jingle:1' action='session-terminate' sid='851ba2'><reason><cancel/><text>oops</text></reason></jingle></iq>`));
    expect(ctx.eventsOf('file.withdrawn')).toEqual([{ type: 'file.withdrawn', method: 'jingle', sid: '851ba2', from: PEER, reason: 'cancel' }]);
    expect(api.session('851ba2')).toBeUndefined();
  });
});

describe('XEP-0234 Jingle file transfer: our sessions', () => {
  it('initiates, hands later actions to the listener (backlog included), checksums and terminates', async () => {
    const { host, ctx, api } = setup();
    const p = api.initiate(PEER, 's1', { creator: 'initiator', name: 'a-file-offer', senders: 'initiator', file: { name: 'a.txt', size: 3, hashes: [] }, transport: { kind: 'ibb', sid: 'ib1', blockSize: 4096 } });
    await flush();
    expect(wire(ctx.pendingIqs()[0]!)).toBe(
      `<iq type='set' to='${PEER}' id='id1'><jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s1' initiator='juliet@capulet.example/yn0cl4bnw0yr3vym'>` +
        `<content creator='initiator' name='a-file-offer' senders='initiator'><description xmlns='urn:xmpp:jingle:apps:file-transfer:5'><file><name>a.txt</name><size>3</size></file></description>` +
        `<transport xmlns='urn:xmpp:jingle:transports:ibb:1' sid='ib1' block-size='4096'/></content></jingle></iq>`,
    );
    ctx.answerIq('id1', null);
    await p;
    // session-accept arrives before anyone listens: kept for the listener.
    await host.receive(stanza(`<iq from='${PEER}' id='a1' type='set'><jingle xmlns='urn:xmpp:jingle:1' action='session-accept' sid='s1'><content creator='initiator' name='a-file-offer'><transport xmlns='urn:xmpp:jingle:transports:ibb:1' sid='ib1' block-size='2048'/></content></jingle></iq>`));
    const seen: JingleAction[] = [];
    api.listen('s1', (a) => seen.push(a));
    await flush();
    expect(seen.map((a) => [a.action, a.contents[0]!.transport])).toEqual([['session-accept', { kind: 'ibb', sid: 'ib1', blockSize: 2048 }]]);
    void api.checksum('s1', 'a-file-offer', [{ algo: 'sha-256', value: 'LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=' }]);
    expect(wire(ctx.pendingIqs().at(-1)!)).toContain(
      `<checksum xmlns='urn:xmpp:jingle:apps:file-transfer:5' creator='initiator' name='a-file-offer'><file><hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=</hash></file></checksum>`,
    );
    api.terminate('s1', 'success');
    expect(ctx.pendingIqs().at(-1)!.child('jingle')!.child('reason')!.elements()[0]!.name).toBe('success');
    expect(api.session('s1')).toBeUndefined();
  });

  it('parses S5B transport-info payloads and session-info checksums', () => {
    const ti = (payload: string) => parseJingle(stanza(`<jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='s'><content creator='initiator' name='c'><transport xmlns='urn:xmpp:jingle:transports:s5b:1' sid='t'>${payload}</transport></content></jingle>`))!.contents[0]!.s5bInfo;
    expect(ti(`<candidate-used cid='hr65dqyd'/>`)).toEqual({ kind: 'candidate-used', sid: 't', cid: 'hr65dqyd' });
    expect(ti(`<candidate-error/>`)).toEqual({ kind: 'candidate-error', sid: 't' });
    expect(ti(`<activated cid='x'/>`)).toEqual({ kind: 'activated', sid: 't', cid: 'x' });
    expect(ti(`<proxy-error/>`)).toEqual({ kind: 'proxy-error', sid: 't' });
    const info = parseJingle(stanza(`<jingle xmlns='urn:xmpp:jingle:1' action='session-info' sid='s'><checksum xmlns='urn:xmpp:jingle:apps:file-transfer:5' creator='initiator' name='a-file-offer'><file><hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=</hash></file></checksum></jingle>`))!;
    expect(info.checksum).toEqual({ name: 'a-file-offer', hashes: [{ algo: 'sha-256', value: 'LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=' }] });
    expect(parseJingle(stanza(`<jingle xmlns='urn:xmpp:jingle:1' action='made-up' sid='s'/>`))).toBeUndefined();
  });
});

describe('XEP-0260 §2.4 candidate selection', () => {
  const c = (cid: string, type: S5bCandidate['type'], pref = 0): S5bCandidate => ({ cid, host: '127.0.0.1', port: 1, jid: 'a@b/c', priority: candidatePriority(type, pref), type });
  it('prefers direct over proxy, then the higher priority, then the initiator’s choice', () => {
    expect(candidatePriority('direct')).toBe(126 * 65536 + 255);
    expect(selectCandidate('initiator', undefined, undefined)).toBeUndefined();
    expect(selectCandidate('initiator', c('o', 'direct'), undefined)).toMatchObject({ owner: 'ours' });
    expect(selectCandidate('responder', c('o', 'proxy'), c('t', 'direct'))).toMatchObject({ owner: 'theirs', candidate: { cid: 't' } });
    expect(selectCandidate('initiator', c('o', 'direct', 5), c('t', 'direct', 1))).toMatchObject({ owner: 'ours' });
    // equal: both sides agree on the candidate the initiator used (one of the responder's)
    expect(selectCandidate('initiator', c('i-cand', 'direct'), c('r-cand', 'direct'))).toMatchObject({ owner: 'theirs', candidate: { cid: 'r-cand' } });
    expect(selectCandidate('responder', c('r-cand', 'direct'), c('i-cand', 'direct'))).toMatchObject({ owner: 'ours', candidate: { cid: 'r-cand' } });
  });
});
