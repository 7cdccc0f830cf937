// Prosody 0.12 on loopback, from a config in a temp dir (never /etc/prosody), on free ports.
// Facts behind the settings: /work/shared/TEST-SERVERS.md (Nagle, min_wait, archive cap,
// smacks hibernation, http_external_url, TLS 1.2 for -PLUS).
import { execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestCa } from './ca';
import { freePort } from './free-port';
import { hasExited, makeTempDir, pollUntil, portOwner, removeTempDir, spawnServer, stopProcess, tailFile } from './process';
import { hashedAccount, luaString, plainAccount, writeAccountFile, writeRosterFile, type RosterItemSpec } from './prosody-storage';
import { probeStreamFeatures } from './xmpp-probe';

const run = promisify(execFile);

export interface ProsodyOptions {
  /** Default 'example.test' (not 'localhost': Node and clients treat it specially and hide TLS bugs). */
  domain?: string;
  /** 'ca': signed by the test CA (default); 'self-signed': untrusted; 'none': no TLS at all (forces requireEncryption false). */
  cert?: 'ca' | 'self-signed' | 'none';
  /** c2s_require_encryption; default true. */
  requireEncryption?: boolean;
  /** allow_unencrypted_plain_auth; default false. */
  allowPlainAuth?: boolean;
  /** Default 'internal_hashed' (SCRAM-SHA-1 + PLAIN); 'internal_plain' offers SCRAM-SHA-1 and -256. */
  authentication?: 'internal_hashed' | 'internal_plain';
  /** internal_hashed only: 'SHA-256' offers SCRAM-SHA-256 instead of SCRAM-SHA-1. */
  passwordHash?: 'SHA-1' | 'SHA-256';
  /** Modules loaded in addition to the default set. */
  modules?: string[];
  /** Modules from the default set to leave out (e.g. 'smacks', 'carbons'). */
  withoutModules?: string[];
  /** Component conference.DOMAIN (XEP-0045 + MUC MAM). */
  muc?: boolean;
  /** Component upload.DOMAIN (XEP-0363), served over HTTP on 127.0.0.1:httpPort. */
  httpFileShare?: boolean;
  /** Component proxy.DOMAIN (XEP-0065) on 127.0.0.1:proxy65Port. */
  proxy65?: boolean;
  /** Lua appended to the global section (before VirtualHost), so it applies to every host. */
  extraConfig?: string;
  /** In-band registration (XEP-0077); default false. */
  allowRegistration?: boolean;
  /** smacks_hibernation_time in seconds; default 20 (stock 600 keeps killed clients' sessions). */
  smacksHibernationSeconds?: number;
  /**
   * Where XEP-0313 archives (stores 'archive' and 'muc_log') are kept: 'internal' (default: one file
   * per user, read whole for every query) or 'sql' (mod_storage_sql on SQLite, DIR/data/prosody.sqlite
   * — what deployments with large archives use). 'sql' needs Debian `lua-dbi-sqlite3`.
   */
  archiveStorage?: 'internal' | 'sql';
  /** Log level for DIR/prosody.log; default 'info', or env FLINT_PROSODY_LOG. */
  logLevel?: 'debug' | 'info' | 'warn';
}

export interface ProsodyUser {
  user: string;
  pass: string;
}

export interface ProsodyServer {
  domain: string;
  host: '127.0.0.1';
  c2sPort: number;
  /** XEP-0368 direct TLS port; 0 when cert is 'none'. */
  directTlsPort: number;
  /** Set when an HTTP module is loaded (http_file_share, bosh, websocket). */
  httpPort?: number;
  proxy65Port?: number;
  mucDomain?: string;
  uploadDomain?: string;
  proxyDomain?: string;
  caCertPem: string;
  caCertPath: string;
  /** SHA-256 fingerprint of the server certificate ('AB:CD:…'); '' when cert is 'none'. */
  certFingerprint256: string;
  dir: string;
  dataDir: string;
  configPath: string;
  logPath: string;
  /** Milliseconds from spawn to ready for the most recent (re)start. */
  startupMs: number;
  register(user: string, pass: string): Promise<void>;
  /** Writes account files directly (no prosodyctl per user). */
  registerMany(users: ProsodyUser[]): Promise<void>;
  /** Replaces the user's roster file; takes effect at the user's next first session. */
  writeRoster(user: string, items: RosterItemSpec[]): Promise<void>;
  /** Close a c2s session from the server side (mod_admin_shell). Full or bare JID. */
  killSession(jid: string): Promise<void>;
  /** Run one admin-shell command, e.g. "c2s:show()"; returns its output. */
  shell(command: string): Promise<string>;
  /** Stop then start again on the same ports with the same data. */
  restart(): Promise<void>;
  /**
   * Stop and remove the temp dir (kept with FLINT_KEEP_TEST_DIRS=1). Graceful by default: SIGTERM,
   * clients get <system-shutdown/>; Prosody then takes ~1 s if a connection is still closing.
   * `{ graceful: false }` is SIGKILL, for fast teardown.
   */
  stop(opts?: { graceful?: boolean }): Promise<void>;
  /** SIGKILL: a crash, connections drop without </stream:stream>. The temp dir is kept for restart(). */
  kill(): Promise<void>;
  /** SIGTERM: a shutdown, clients are told (</stream:stream>). The temp dir is kept for restart(). */
  halt(): Promise<void>;
  /** Current contents of the server log. */
  log(): string;
}

const DEFAULT_MODULES = [
  'roster', 'saslauth', 'tls', 'disco', 'carbons', 'pep', 'private', 'blocklist', 'vcard4', 'vcard_legacy',
  'version', 'uptime', 'time', 'ping', 'register', 'mam', 'csi_simple', 'smacks', 'bookmarks', 'offline',
  'posix', 'admin_shell',
];
const HTTP_MODULES = new Set(['bosh', 'websocket', 'http_files', 'http_openmetrics']);
const READY_TIMEOUT_MS = 30_000;
const MAX_PORT_ATTEMPTS = 4;

interface Ports {
  c2s: number;
  directTls: number;
  http: number;
  proxy65: number;
}

class PortTakenError extends Error {}

const lua = luaString;
const luaList = (xs: string[]): string => `{ ${xs.map(lua).join('; ')} }`;

interface Layout {
  domain: string;
  dir: string;
  dataDir: string;
  logPath: string;
  certDir: string;
  opts: ProsodyOptions;
  useHttp: boolean;
}

function buildConfig(l: Layout, ports: Ports): string {
  const { opts, domain } = l;
  const tlsOn = opts.cert !== 'none';
  // Without a certificate mod_tls would still offer STARTTLS (and fail the handshake): leave it out.
  const skip = new Set([...(opts.withoutModules ?? []), ...(tlsOn ? [] : ['tls'])]);
  const modules = [...DEFAULT_MODULES.filter((m) => !skip.has(m)), ...(opts.modules ?? [])];
  if (opts.httpFileShare) modules.push('http');
  const level = opts.logLevel ?? (process.env.FLINT_PROSODY_LOG as ProsodyOptions['logLevel']) ?? 'info';
  const g: string[] = [
    `-- Generated by test/harness/prosody.ts`,
    typeof process.getuid === 'function' && process.getuid() === 0 ? 'run_as_root = true' : '',
    `pidfile = ${lua(path.join(l.dir, 'prosody.pid'))}`,
    `data_path = ${lua(l.dataDir)}`,
    `certificates = ${lua(l.certDir)}`,
    `log = { { levels = { min = ${lua(level)} }, to = "file", filename = ${lua(l.logPath)} } }`,
    opts.archiveStorage === 'sql'
      ? 'default_storage = "internal"\nstorage = { archive = "sql"; muc_log = "sql" }\nsql = { driver = "SQLite3"; database = "prosody.sqlite" }'
      : 'storage = "internal"',
    'interfaces = { "127.0.0.1" }',
    'local_interfaces = { "127.0.0.1" }',
    `c2s_ports = { ${ports.c2s} }`,
    tlsOn ? `c2s_direct_tls_ports = { ${ports.directTls} }` : 'c2s_direct_tls_ports = { }',
    's2s_ports = { }',
    'modules_disabled = { "s2s" }',
    // Stock Nagle adds ~40 ms per login round trip on loopback. min_wait is the floor of each
    // read-retry sleep: stock 1 ms per 8 KiB read holds HTTP uploads to ~4 MiB/s (measured here:
    // 3.6 stock, ~20 MiB/s with 1e-5 on a loaded 2-core VM).
    'network_settings = { nagle = false; min_wait = 0.00001 }',
    `smacks_hibernation_time = ${opts.smacksHibernationSeconds ?? 20}`,
    'storage_archive_item_limit = 1000000',
    'archive_expires_after = "never"',
    `c2s_require_encryption = ${tlsOn && (opts.requireEncryption ?? true)}`,
    `allow_unencrypted_plain_auth = ${opts.allowPlainAuth ?? false}`,
    `authentication = ${lua(opts.authentication ?? 'internal_hashed')}`,
    `password_hash = ${lua(opts.passwordHash ?? 'SHA-1')}`,
    `allow_registration = ${opts.allowRegistration ?? false}`,
    `modules_enabled = ${luaList(modules)}`,
  ];
  if (l.useHttp) {
    g.push(
      `http_ports = { ${ports.http} }`,
      'http_interfaces = { "127.0.0.1" }',
      'https_ports = { }',
      // Component names do not resolve here: upload URLs must name the loopback address.
      `http_external_url = ${lua(`http://127.0.0.1:${ports.http}/`)}`,
      opts.httpFileShare ? `http_default_host = ${lua(`upload.${domain}`)}` : '',
      // http_max_content_size stays stock (10 MiB): bodies above it are streamed to disk by
      // http_file_share; below it they are buffered whole (raising it made 32 MiB PUTs ~20x slower).
    );
  }
  if (opts.proxy65) g.push(`proxy65_ports = { ${ports.proxy65} }`, 'proxy65_interfaces = { "127.0.0.1" }');
  if (opts.extraConfig) g.push('', '-- extraConfig', opts.extraConfig);

  const hosts: string[] = [`VirtualHost ${lua(domain)}`];
  if (opts.muc) {
    hosts.push(
      `Component ${lua(`conference.${domain}`)} "muc"`,
      '  modules_enabled = { "muc_mam" }',
      '  restrict_room_creation = false',
      '  muc_log_by_default = true',
      '  max_history_messages = 100',
    );
  }
  if (opts.httpFileShare) {
    hosts.push(
      `Component ${lua(`upload.${domain}`)} "http_file_share"`,
      '  http_file_share_size_limit = 268435456',
      '  http_file_share_daily_quota = 10737418240',
    );
  }
  if (opts.proxy65) {
    hosts.push(`Component ${lua(`proxy.${domain}`)} "proxy65"`, '  proxy65_address = "127.0.0.1"');
  }
  return `${g.filter((x) => x !== '').join('\n')}\n\n${hosts.join('\n')}\n`;
}

function requiredPorts(l: Layout, ports: Ports): number[] {
  const list = [ports.c2s];
  if (l.opts.cert !== 'none') list.push(ports.directTls);
  if (l.useHttp) list.push(ports.http);
  if (l.opts.proxy65) list.push(ports.proxy65);
  return list;
}

async function launch(l: Layout, configPath: string, ports: Ports): Promise<{ child: ChildProcess; ms: number }> {
  const t0 = performance.now();
  const child = spawnServer('prosody', ['--config', configPath, '-F'], {
    cwd: l.dir,
    outputPath: path.join(l.dir, 'stdout.log'),
  });
  const check = (): void => {
    if (hasExited(child)) {
      throw new Error(
        `prosody exited (${child.exitCode ?? child.signalCode}) during startup.\n` +
          `${tailFile(path.join(l.dir, 'stdout.log'))}\n${tailFile(l.logPath)}`,
      );
    }
  };
  const pid = child.pid ?? -1;
  try {
    // Each port must be held by this very process: with free-port races another test's server could hold one.
    await pollUntil('prosody to listen', READY_TIMEOUT_MS, async () => {
      const owners = requiredPorts(l, ports).map((p) => [p, portOwner(p, pid)] as const);
      const taken = owners.find(([, o]) => o === 'other');
      if (taken) throw new PortTakenError(`port ${taken[0]} is held by another process`);
      return owners.every(([, o]) => o === 'self') ? true : undefined;
    }, () => {
      check();
      if (fs.existsSync(l.logPath) && /Failed to open server port/.test(tailFile(l.logPath, 20_000))) {
        throw new PortTakenError('prosody could not bind a port');
      }
    });
    await pollUntil('prosody <stream:features>', READY_TIMEOUT_MS, () => probeStreamFeatures({ port: ports.c2s, domain: l.domain }), check);
  } catch (e) {
    await stopProcess(child, 'SIGKILL');
    if (e instanceof PortTakenError) throw e;
    throw new Error(`${(e as Error).message}\n--- prosody log ---\n${tailFile(l.logPath)}`);
  }
  return { child, ms: Math.round(performance.now() - t0) };
}

/**
 * archiveStorage 'sql': Prosody starts without LuaDBI's SQLite3 driver and only fails at the first
 * archive write or query (mod_storage_sql connects lazily), so ask Prosody's own Lua interpreter
 * (the `prosody` script's #! line) before starting.
 */
async function checkSqlDriver(): Promise<void> {
  const script = (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'prosody')).find((f) => fs.existsSync(f));
  const shebang = script ? (/^#!\s*(?:\S*\/env\s+)?(\S+)/.exec(fs.readFileSync(script, 'utf8').split('\n', 1)[0] ?? '')?.[1] ?? 'lua') : 'lua';
  const probe = 'local ok, DBI = pcall(require, "DBI"); os.exit(ok and pcall(DBI.Connect, "SQLite3", ":memory:") and 0 or 1)';
  try {
    await run(shebang, ['-e', probe], { timeout: 10_000 });
  } catch {
    throw new Error(
      `archiveStorage 'sql' needs LuaDBI's SQLite3 driver for Prosody (${shebang}): install the Debian package lua-dbi-sqlite3 (apt-get install -y lua-dbi-sqlite3)`,
    );
  }
}

async function allocatePorts(): Promise<Ports> {
  return { c2s: await freePort(), directTls: await freePort(), http: await freePort(), proxy65: await freePort() };
}

export async function startProsody(opts: ProsodyOptions = {}): Promise<ProsodyServer> {
  const domain = opts.domain ?? 'example.test';
  if (opts.archiveStorage === 'sql') await checkSqlDriver();
  const dir = makeTempDir('prosody');
  const dataDir = path.join(dir, 'data');
  const certDir = path.join(dir, 'certs');
  fs.mkdirSync(dataDir, { mode: 0o750 });
  fs.mkdirSync(certDir);
  const layout: Layout = {
    domain, dir, dataDir, certDir, opts,
    logPath: path.join(dir, 'prosody.log'),
    useHttp: !!opts.httpFileShare || (opts.modules ?? []).some((m) => HTTP_MODULES.has(m)),
  };

  const ca = await createTestCa();
  let fingerprint = '';
  if (opts.cert !== 'none') {
    const cert = await ca.issue({ names: [domain, `*.${domain}`], selfSigned: opts.cert === 'self-signed' });
    // certmanager looks up <host>.crt/.key in `certificates`; the wildcard covers the components.
    fs.copyFileSync(cert.certPath, path.join(certDir, `${domain}.crt`));
    fs.copyFileSync(cert.keyPath, path.join(certDir, `${domain}.key`));
    fingerprint = cert.fingerprint256;
  }

  const configPath = path.join(dir, 'prosody.cfg.lua');
  let ports = await allocatePorts();
  let child: ChildProcess | undefined;
  let startupMs = 0;
  for (let attempt = 1; !child; attempt++) {
    fs.writeFileSync(configPath, buildConfig(layout, ports));
    try {
      ({ child, ms: startupMs } = await launch(layout, configPath, ports));
    } catch (e) {
      if (!(e instanceof PortTakenError) || attempt >= MAX_PORT_ATTEMPTS) {
        removeTempDir(dir);
        throw e;
      }
      ports = await allocatePorts();
    }
  }

  const prosodyctl = async (args: string[]): Promise<string> => {
    const { stdout, stderr } = await run('prosodyctl', ['--config', configPath, ...args], { cwd: dir, timeout: 30_000 });
    return `${stdout}${stderr}`;
  };
  const authentication = opts.authentication ?? 'internal_hashed';
  let stopped = false;

  const server: ProsodyServer = {
    domain,
    host: '127.0.0.1',
    c2sPort: ports.c2s,
    directTlsPort: opts.cert === 'none' ? 0 : ports.directTls,
    httpPort: layout.useHttp ? ports.http : undefined,
    proxy65Port: opts.proxy65 ? ports.proxy65 : undefined,
    mucDomain: opts.muc ? `conference.${domain}` : undefined,
    uploadDomain: opts.httpFileShare ? `upload.${domain}` : undefined,
    proxyDomain: opts.proxy65 ? `proxy.${domain}` : undefined,
    caCertPem: ca.caCertPem,
    caCertPath: ca.caCertPath,
    certFingerprint256: fingerprint,
    dir,
    dataDir,
    configPath,
    logPath: layout.logPath,
    startupMs,

    async register(user, pass) {
      await prosodyctl(['register', user, domain, pass]);
    },

    async registerMany(users) {
      await Promise.all(
        users.map(async ({ user, pass }) => {
          // SASLprep of a non-ASCII password is not the identity: let Prosody hash those.
          if (!/^[\x20-\x7e]*$/.test(pass)) return server.register(user, pass);
          const text = authentication === 'internal_plain' ? plainAccount(pass) : await hashedAccount(pass, opts.passwordHash ?? 'SHA-1');
          writeAccountFile(dataDir, domain, user.toLowerCase(), text);
        }),
      );
    },

    async writeRoster(user, items) {
      writeRosterFile(dataDir, domain, user.toLowerCase(), items);
    },

    async shell(command) {
      return prosodyctl(['shell', command]);
    },

    async killSession(jid) {
      const out = await server.shell(`c2s:close(${lua(jid)})`);
      if (!/Total: [1-9]/.test(out)) throw new Error(`killSession(${jid}): no session closed: ${out.trim()}`);
    },

    async restart() {
      if (child && !hasExited(child)) await stopProcess(child);
      ({ child, ms: server.startupMs } = await launch(layout, configPath, ports));
    },

    async stop(stopOpts) {
      if (stopped) return;
      stopped = true;
      if (child) await stopProcess(child, stopOpts?.graceful === false ? 'SIGKILL' : 'SIGTERM');
      removeTempDir(dir);
    },

    async kill() {
      if (child) await stopProcess(child, 'SIGKILL');
    },

    async halt() {
      if (child) await stopProcess(child, 'SIGTERM');
    },

    log() {
      return tailFile(layout.logPath, 1_000_000);
    },
  };
  return server;
}
