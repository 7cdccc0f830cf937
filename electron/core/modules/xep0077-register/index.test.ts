import { describe, expect, it } from 'vitest';
import { IqError } from '../../module';
import { ModuleTestBed, stanza, wire } from '../test-context';
import { buildRegisterSubmit, parseRegistrationForm, registerModule, type RegisterApi } from '.';

const compact = (xml: string) => xml.replace(/>\s+</g, '><');

// XEP-0077 Example 2.
const LEGACY_FORM = compact(`<query xmlns='jabber:iq:register'>
  <instructions>Choose a username and password for use with this service. Please also provide your email address.</instructions>
  <username/><password/><email/></query>`);
// XEP-0077 Example 16 (data form, §6).
const DATA_FORM = compact(`<query xmlns='jabber:iq:register'>
  <instructions>Use the enclosed form to register. If your Jabber client does not support Data Forms, visit http://www.shakespeare.lit/contests.php</instructions>
  <x xmlns='jabber:x:data' type='form'>
    <title>Contest Registration</title>
    <instructions>Please provide the following information to sign up for our special contests!</instructions>
    <field type='hidden' var='FORM_TYPE'><value>jabber:iq:register</value></field>
    <field label='Given Name' var='first'><required/></field>
    <field label='Family Name' var='last'><required/></field>
    <field label='Email Address' var='email'><required/></field>
    <field type='list-single' label='Gender' var='x-gender'><option label='Male'><value>M</value></option><option label='Female'><value>F</value></option></field>
  </x></query>`);

describe('XEP-0077 forms', () => {
  it('reads legacy fields as required fields, the password as text-private (Example 2)', () => {
    const form = parseRegistrationForm(stanza(LEGACY_FORM));
    expect(form.kind).toBe('legacy');
    expect(form.registered).toBe(false);
    expect(form.form.instructions).toEqual(['Choose a username and password for use with this service. Please also provide your email address.']);
    expect(form.form.fields.map((f) => [f.var, f.type, f.required, f.label])).toEqual([
      ['username', 'text-single', true, 'User name'],
      ['password', 'text-private', true, 'Password'],
      ['email', 'text-single', true, 'Email'],
    ]);
  });

  it('reads an existing registration (Example 3) and an out-of-band URL (Example 5)', () => {
    const reg = parseRegistrationForm(stanza(`<query xmlns='jabber:iq:register'><registered/><username>juliet</username><password>R0m30</password><email>juliet@capulet.com</email></query>`));
    expect(reg.registered).toBe(true);
    expect(reg.form.fields.find((f) => f.var === 'username')!.values).toEqual(['juliet']);
    const oob = parseRegistrationForm(
      stanza(`<query xmlns='jabber:iq:register'><instructions>To register, visit http://www.shakespeare.lit/contests.php</instructions><x xmlns='jabber:x:oob'><url>http://www.shakespeare.lit/contests.php</url></x></query>`),
    );
    expect(oob).toMatchObject({ kind: 'legacy', url: 'http://www.shakespeare.lit/contests.php' });
    expect(oob.form.fields).toEqual([]);
  });

  it('builds the legacy submit (Example 4), echoing a key, refusing empty required fields', () => {
    const form = parseRegistrationForm(stanza(LEGACY_FORM));
    expect(wire(buildRegisterSubmit(form, { username: ['bill'], password: ['Calliope'], email: ['bard@shakespeare.lit'] }))).toBe(
      `<query xmlns='jabber:iq:register'><username>bill</username><password>Calliope</password><email>bard@shakespeare.lit</email></query>`,
    );
    expect(() => buildRegisterSubmit(form, { username: ['bill'] })).toThrow(/password \(required\)/);
    const keyed = parseRegistrationForm(stanza(`<query xmlns='jabber:iq:register'><username/><key>tok3n</key></query>`));
    expect(wire(buildRegisterSubmit(keyed, { username: ['x'], key: ['forged'] }))).toBe(`<query xmlns='jabber:iq:register'><username>x</username><key>tok3n</key></query>`);
  });

  it('prefers the data form and submits it (Examples 16–17)', () => {
    const form = parseRegistrationForm(stanza(DATA_FORM));
    expect(form.kind).toBe('form');
    expect(form.form.title).toBe('Contest Registration');
    expect(wire(buildRegisterSubmit(form, { first: ['Juliet'], last: ['Capulet'], email: ['juliet@capulet.com'], 'x-gender': ['F'] }))).toBe(
      `<query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>jabber:iq:register</value></field>` +
        `<field var='first'><value>Juliet</value></field><field var='last'><value>Capulet</value></field><field var='email'><value>juliet@capulet.com</value></field>` +
        `<field var='x-gender'><value>F</value></field></x></query>`,
    );
  });
});

describe('XEP-0077 module (after login)', () => {
  const setup = () => {
    const host = new ModuleTestBed([registerModule], { jid: 'bill@shakespeare.lit/globe' });
    return { host, ctx: host.ctx, api: host.api<RegisterApi>('xep0077-register') };
  };

  it('changes the password with an iq set to the server (§3.3, Example 18)', async () => {
    const { ctx, api } = setup();
    ctx.responder = () => null;
    await api.changePassword('newpass');
    expect(wire(ctx.sent[0]!)).toBe(`<iq type='set' to='shakespeare.lit' id='id1'><query xmlns='jabber:iq:register'><username>bill</username><password>newpass</password></query></iq>`);
    await expect(api.changePassword('')).rejects.toThrow(/empty/);
  });

  it('hands a refusal to the caller with the form the server wants (§3.3, Example 22)', async () => {
    const { ctx, api } = setup();
    ctx.responder = () => new IqError('not-authorized', 'modify');
    const err = (await api.changePassword('x').catch((e: unknown) => e)) as IqError;
    expect(err.condition).toBe('not-authorized');
  });

  it('reads the current registration', async () => {
    const { ctx, api } = setup();
    ctx.responder = () => stanza(`<query xmlns='jabber:iq:register'><registered/><username>bill</username><password/></query>`);
    await expect(api.info()).resolves.toMatchObject({ registered: true, kind: 'legacy' });
    expect(ctx.sent[0]!.attr('to')).toBe('shakespeare.lit');
  });
});
