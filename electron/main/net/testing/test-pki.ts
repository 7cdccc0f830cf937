// A throwaway PKI for the transport tests, made by the openssl CLI (not by the code under test):
// a CA we trust, one we do not, and leaves that each break one rule. Not used by the app.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TlsPolicy } from '../transport';

/** The JID domain the good certificates are made for. */
export const DOMAIN = 'example.test';

export interface Pair {
  key: string;
  cert: string;
  /** openssl's own view, for comparison with ours */
  fingerprint256: string;
  der: Buffer;
}

export interface TestPki {
  caPem: string;
  /** Signed by the trusted CA for DOMAIN. */
  good: Pair;
  /** Signed by the trusted CA for wrong.test. */
  wrongName: Pair;
  /** Self-signed for DOMAIN, two different ones. */
  selfSigned: Pair;
  otherSelfSigned: Pair;
  /** Signed by the trusted CA for DOMAIN, valid 2020–2021 and 2040–2041. */
  expired: Pair;
  notYetValid: Pair;
  /** Signed for DOMAIN by a CA that is not in the policy. */
  foreign: Pair;
  /** A policy for DOMAIN that trusts our CA. */
  policy(extra?: Partial<TlsPolicy>): TlsPolicy;
  remove(): void;
}

/** Runs the openssl CLI in `cwd` and returns what it wrote to stdout. */
export function openssl(args: string[], input?: Buffer, cwd?: string): Buffer {
  return execFileSync('openssl', args, { cwd, input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Makes every certificate in a fresh temporary directory (some 30 openssl runs: call it once per file). */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'flint-net-'));
  const run = (args: string[]) => openssl(args, undefined, dir);
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');

  function pair(name: string): Pair {
    const fp = /Fingerprint=([0-9A-F:]+)/.exec(run(['x509', '-in', `${name}.pem`, '-noout', '-fingerprint', '-sha256']).toString())![1]!;
    return { key: read(`${name}.key`), cert: read(`${name}.pem`), fingerprint256: fp, der: run(['x509', '-in', `${name}.pem`, '-outform', 'DER']) };
  }

  function ecKey(name: string): void {
    run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`]);
  }

  function makeCa(name: string): void {
    ecKey(name);
    run(['req', '-x509', '-key', `${name}.key`, '-subj', `/O=Flint Test/CN=${name}`, '-days', '30', '-out', `${name}.pem`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  }

  /** A leaf signed by `ca` through `openssl ca`, which lets us set any validity window. */
  function makeLeaf(name: string, ca: string, san: string, dates?: { start: string; end: string }): Pair {
    ecKey(name);
    run(['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-out', `${name}.csr`]);
    writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial.txt'), '01\n');
    writeFileSync(join(dir, 'ca.cnf'), '[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\nserial=serial.txt\nnew_certs_dir=.\ndefault_md=sha256\npolicy=p\nunique_subject=no\n[p]\ncommonName=supplied\n');
    run(['ca', '-batch', '-config', 'ca.cnf', '-cert', `${ca}.pem`, '-keyfile', `${ca}.key`, '-in', `${name}.csr`, '-out', `${name}.pem`,
      '-rand_serial', '-notext', '-extfile', `${name}.ext`, ...(dates ? ['-startdate', dates.start, '-enddate', dates.end] : ['-days', '2'])]);
    return pair(name);
  }

  function makeSelfSigned(name: string, san: string): Pair {
    ecKey(name);
    run(['req', '-x509', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-days', '2', '-out', `${name}.pem`, '-addext', `subjectAltName=${san}`]);
    return pair(name);
  }

  try {
    makeCa('test-ca');
    makeCa('foreign-ca');
    const caPem = read('test-ca.pem');
    return {
      caPem,
      good: makeLeaf('good', 'test-ca', `DNS:${DOMAIN}`),
      wrongName: makeLeaf('wrong', 'test-ca', 'DNS:wrong.test'),
      expired: makeLeaf('expired', 'test-ca', `DNS:${DOMAIN}`, { start: '20200101000000Z', end: '20210101000000Z' }),
      notYetValid: makeLeaf('future', 'test-ca', `DNS:${DOMAIN}`, { start: '20400101000000Z', end: '20410101000000Z' }),
      foreign: makeLeaf('foreign', 'foreign-ca', `DNS:${DOMAIN}`),
      selfSigned: makeSelfSigned('self', `DNS:${DOMAIN}`),
      otherSelfSigned: makeSelfSigned('self2', `DNS:${DOMAIN}`),
      policy: (extra = {}) => ({ servername: DOMAIN, ca: caPem, ...extra }),
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
