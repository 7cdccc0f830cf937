// A throw-away certificate authority for tests, made with the openssl CLI.
// EC P-256 keys keep generation in the low milliseconds. `openssl ca` (not `x509 -req`) is
// used because it can set an arbitrary notBefore/notAfter, which expired-certificate tests need.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir } from './process';

const run = promisify(execFile);

export interface IssueOptions {
  /** subjectAltName entries: DNS names ('example.test', '*.example.test') or IP addresses. */
  names: string[];
  /** Subject CN; defaults to names[0]. */
  cn?: string;
  /** Validity in days counted from notBefore; default 825. */
  days?: number;
  /** ISO 8601 start of validity (e.g. '2020-01-01T00:00:00Z'); default now. Use with `days` for expired certs. */
  notBefore?: string;
  /** Sign with the certificate's own key instead of the CA (an untrusted certificate). */
  selfSigned?: boolean;
}

export interface IssuedCert {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
  /** 'AB:CD:…' as Node's X509Certificate.fingerprint256. */
  fingerprint256: string;
}

export interface TestCa {
  dir: string;
  caCertPem: string;
  caCertPath: string;
  caKeyPath: string;
  issue(opts: IssueOptions): Promise<IssuedCert>;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

// openssl's -subj syntax: '/' and '=' separate fields, so escape them in the CN.
const subj = (cn: string): string => `/CN=${cn.replace(/[/=+\\]/g, (c) => `\\${c}`)}`;

function sanEntry(name: string): string {
  return /^[\d.]+$/.test(name) || name.includes(':') ? `IP:${name}` : `DNS:${name}`;
}

/** openssl ca -startdate/-enddate take GeneralizedTime 'YYYYMMDDHHMMSSZ'. */
function asn1Time(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

let seq = 0;

async function issueIn(ca: { dir: string; caCertPath: string; caKeyPath: string }, opts: IssueOptions): Promise<IssuedCert> {
  if (opts.names.length === 0) throw new Error('issue: at least one name is required');
  const cn = opts.cn ?? opts.names[0] ?? 'test';
  const slug = cn.replace(/[^a-zA-Z0-9.-]/g, '_').slice(0, 40);
  // A directory per certificate: `openssl ca` keeps an index file, and parallel issues must not share one.
  const work = path.join(ca.dir, `${String(++seq).padStart(3, '0')}-${slug}`);
  fs.mkdirSync(work);
  const keyPath = path.join(work, 'key.pem');
  const csrPath = path.join(work, 'req.csr');
  const certPath = path.join(work, 'cert.pem');
  const cnfPath = path.join(work, 'ca.cnf');
  fs.writeFileSync(path.join(work, 'index.txt'), '');
  fs.writeFileSync(
    cnfPath,
    [
      '[ ca ]',
      'default_ca = testca',
      '[ testca ]',
      `database = ${path.join(work, 'index.txt')}`,
      `serial = ${path.join(work, 'serial')}`,
      `new_certs_dir = ${work}`,
      'default_md = sha256',
      'policy = policy_any',
      'unique_subject = no',
      'email_in_dn = no',
      '[ policy_any ]',
      'commonName = supplied',
      '[ leaf ]',
      'basicConstraints = critical,CA:FALSE',
      'keyUsage = critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage = serverAuth,clientAuth',
      `subjectAltName = ${opts.names.map(sanEntry).join(',')}`,
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
      '',
    ].join('\n'),
  );
  await run('openssl', ['req', '-new', ...EC_KEY, '-keyout', keyPath, '-out', csrPath, '-subj', subj(cn)]);
  const start = opts.notBefore ? new Date(opts.notBefore) : new Date(Date.now() - 60_000);
  if (Number.isNaN(start.getTime())) throw new Error(`issue: bad notBefore ${opts.notBefore}`);
  const end = new Date(start.getTime() + (opts.days ?? 825) * 86_400_000);
  const signer = opts.selfSigned ? ['-selfsign', '-keyfile', keyPath] : ['-cert', ca.caCertPath, '-keyfile', ca.caKeyPath];
  await run('openssl', [
    'ca', '-batch', '-notext', '-rand_serial', '-config', cnfPath, '-extensions', 'leaf', ...signer,
    '-startdate', asn1Time(start), '-enddate', asn1Time(end), '-in', csrPath, '-out', certPath,
  ]);
  const certPem = fs.readFileSync(certPath, 'utf8');
  return {
    certPath,
    keyPath,
    certPem,
    keyPem: fs.readFileSync(keyPath, 'utf8'),
    fingerprint256: new X509Certificate(certPem).fingerprint256,
  };
}

const cas = new Map<string, Promise<TestCa>>();

/**
 * Create (once per directory and process) a CA in `dir`, or in a fresh temp dir removed at exit.
 * `issue` results are cached too: the same options return the same certificate files.
 */
export function createTestCa(dir?: string): Promise<TestCa> {
  const key = dir ?? '';
  let ca = cas.get(key);
  if (!ca) {
    ca = makeCa(dir ?? makeTempDir('ca'));
    cas.set(key, ca);
    ca.catch(() => cas.delete(key));
  }
  return ca;
}

async function makeCa(dir: string): Promise<TestCa> {
  fs.mkdirSync(dir, { recursive: true });
  const caKeyPath = path.join(dir, 'ca.key');
  const caCertPath = path.join(dir, 'ca.crt');
  await run('openssl', [
    'req', '-x509', ...EC_KEY, '-keyout', caKeyPath, '-out', caCertPath, '-subj', '/CN=Flint Test CA', '-days', '3650',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const caRef = { dir, caCertPath, caKeyPath };
  const issued = new Map<string, Promise<IssuedCert>>();
  return {
    dir,
    caCertPath,
    caKeyPath,
    caCertPem: fs.readFileSync(caCertPath, 'utf8'),
    issue(opts) {
      const k = JSON.stringify([opts.names, opts.cn, opts.days, opts.notBefore, !!opts.selfSigned]);
      let cert = issued.get(k);
      if (!cert) {
        cert = issueIn(caRef, opts);
        issued.set(k, cert);
        cert.catch(() => issued.delete(k));
      }
      return cert;
    },
  };
}
