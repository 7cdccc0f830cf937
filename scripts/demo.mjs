// `npm run demo`: Flint against a throw-away Prosody on loopback, already signed in.
//
//   - starts Prosody (test/harness/prosody.ts) for the domain flint.test with a test CA,
//   - registers alice and bob (yours to use) and echo, a contact that answers every message,
//     all three in each other's rosters,
//   - runs echo with Flint's own engine (AccountService),
//   - opens Flint as alice: the Electron app when its binary is installed and a display is there,
//     else web mode (prints the URL to open).
// Ctrl-C stops everything and removes the temporary files.
//
// The harness and the account service are TypeScript; esbuild bundles the few pieces used here
// into a temporary CommonJS file first (a fraction of a second), so nothing else is needed.
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOMAIN = 'flint.test';
const USERS = { alice: 'alice-demo-pw', bob: 'bob-demo-pw', echo: 'echo-demo-pw' };
const forceWeb = process.argv.includes('--web');

function onPath(cmd) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    try {
      accessSync(path.join(dir, cmd), constants.X_OK);
      return true;
    } catch {
      /* not here */
    }
  }
  return false;
}

/** The Electron binary, without require('electron') (which tries to download a missing one). */
function electronBinary() {
  const pkgDir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const rel = readFileSync(pathFile, 'utf8').trim();
  const bin = process.env.ELECTRON_OVERRIDE_DIST_PATH ? path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel) : path.join(pkgDir, 'dist', rel);
  return existsSync(bin) ? bin : null;
}

function fail(msg) {
  console.error(`demo: ${msg}`);
  process.exit(1);
}

if (!onPath('prosody') || !onPath('prosodyctl')) fail('Prosody is not installed. On Debian/Ubuntu: sudo apt-get install prosody');
if (!onPath('openssl')) fail('openssl is needed for the demo certificates. On Debian/Ubuntu: sudo apt-get install openssl');
for (const f of ['dist/main/web.cjs', 'dist/renderer/index.html']) if (!existsSync(path.join(root, f))) fail(`${f} is missing: run \`npm run build\` first (npm run demo does).`);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'flint-demo-'));
// Inside the checkout, so its require('better-sqlite3') finds node_modules.
const libFile = path.join(root, 'dist', 'demo', 'demo-lib.cjs');
await build({
  absWorkingDir: root,
  stdin: {
    contents: [
      "export { startProsody } from './test/harness/prosody';",
      "export { AccountService } from './electron/main/accounts/account-service';",
      "export { AccountStore } from './electron/main/accounts/account-store';",
      "export { FileKeyStore } from './electron/main/accounts/file-keystore';",
    ].join('\n'),
    resolveDir: root,
    sourcefile: 'demo-lib.ts',
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: libFile,
  logLevel: 'warning',
  external: ['electron', 'bufferutil', 'utf-8-validate', 'better-sqlite3'],
});
const lib = createRequire(import.meta.url)(libFile);

const cleanups = [];
let cleaning = null;
function cleanup(code) {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        console.error(`demo: cleanup: ${err instanceof Error ? err.message : err}`);
      }
    }
    rmSync(tmp, { recursive: true, force: true });
    process.exit(code);
  })();
  return cleaning;
}
process.on('SIGINT', () => void cleanup(0));
process.on('SIGTERM', () => void cleanup(0));

try {
  console.error('demo: starting Prosody…');
  const server = await lib.startProsody({ domain: DOMAIN });
  cleanups.push(() => server.stop());
  await server.registerMany(Object.entries(USERS).map(([user, pass]) => ({ user, pass })));
  const contact = (user, name, group) => ({ jid: `${user}@${DOMAIN}`, name, groups: [group], subscription: 'both' });
  await server.writeRoster('alice', [contact('bob', 'Bob', 'Friends'), contact('echo', 'Echo', 'Bots')]);
  await server.writeRoster('bob', [contact('alice', 'Alice', 'Friends'), contact('echo', 'Echo', 'Bots')]);
  await server.writeRoster('echo', [contact('alice', 'Alice', 'Friends'), contact('bob', 'Bob', 'Friends')]);

  const settingsFor = (user) => ({ jid: `${user}@${DOMAIN}`, host: '127.0.0.1', port: server.c2sPort, tlsMode: 'starttls' });

  // echo: a contact running on Flint's own engine. It answers each message and accepts requests.
  const echoDir = path.join(tmp, 'echo');
  const echo = new lib.AccountService({ dataDir: echoDir, keyStore: lib.FileKeyStore.open(echoDir), appVersion: 'demo', extraCa: [server.caCertPem] });
  cleanups.push(() => echo.dispose());
  const online = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('echo did not come online within 20 s')), 20_000);
    echo.subscribe((e) => {
      if (e.type === 'connection.changed' && e.state.status === 'online') {
        clearTimeout(timer);
        echo.setPresence('chat', 'I answer every message');
        resolve();
      } else if (e.type === 'connection.changed' && e.state.status === 'failed') {
        clearTimeout(timer);
        reject(new Error(`echo could not sign in: ${e.state.error?.message ?? 'unknown error'}`));
      } else if (e.type === 'message.received' && e.message.direction === 'in' && e.message.body.trim() !== '') {
        const { from, body } = e.message;
        setTimeout(() => {
          try {
            echo.sendChat(from, `You said: “${body.length > 500 ? `${body.slice(0, 500)}…` : body}”`);
          } catch (err) {
            console.error(`demo: echo could not answer: ${err.message}`);
          }
        }, 400);
      } else if (e.type === 'subscription.request' && e.kind === 'subscribe') {
        echo.answerSubscription(e.from, true);
      }
    });
  });
  await echo.login({ settings: settingsFor('echo'), password: USERS.echo, remember: false });
  await online;

  // Alice's Flint profile with her password remembered (file keystore: a throw-away profile).
  const profile = path.join(tmp, 'alice-profile');
  const store = new lib.AccountStore(profile, lib.FileKeyStore.open(profile));
  store.save(settingsFor('alice'));
  store.savePassword(`alice@${DOMAIN}`, USERS.alice);

  const env = { ...process.env, FLINT_DATA_DIR: profile, FLINT_FILE_KEYSTORE: '1', NODE_EXTRA_CA_CERTS: server.caCertPath, FLINT_LOG: process.env.FLINT_LOG ?? 'warn' };
  const electron = forceWeb ? null : electronBinary();
  const hasDisplay = process.platform !== 'linux' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
  const banner = [
    '',
    `  Prosody for ${DOMAIN} on 127.0.0.1:${server.c2sPort} (STARTTLS, demo CA ${server.caCertPath})`,
    `  Signed in as alice@${DOMAIN}. Also yours: bob@${DOMAIN} / ${USERS.bob} (host 127.0.0.1, port ${server.c2sPort}).`,
    `  Write to “Echo”: it answers. Ctrl-C ends the demo and deletes everything.`,
    '',
  ].join('\n');

  let child;
  if (electron && hasDisplay) {
    console.error('demo: opening Flint (Electron)…');
    // The history store's native addon, built for Electron's ABI (once; see scripts/electron-native.mjs).
    execFileSync(process.execPath, [path.join(root, 'scripts', 'electron-native.mjs')], { stdio: 'inherit' });
    // Chromium will not start its sandbox as root (containers); a normal user keeps it.
    const args = [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), root];
    child = spawn(electron, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
    console.error(banner);
  } else {
    if (!electron && !forceWeb) console.error('demo: the Electron binary is not installed: using web mode.');
    else if (!hasDisplay && !forceWeb) console.error('demo: no display: using web mode.');
    child = spawn(process.execPath, [path.join(root, 'dist', 'main', 'web.cjs'), '--port', process.env.FLINT_WEB_PORT ?? '0'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const rl = readline.createInterface({ input: child.stdout });
    rl.once('line', (line) => {
      console.log(line);
      console.error(banner);
    });
  }
  cleanups.push(
    () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  );
  child.once('exit', (code) => {
    console.error(`demo: Flint exited${code ? ` (code ${code})` : ''}; stopping the server…`);
    void cleanup(code ?? 0);
  });
} catch (err) {
  console.error(`demo: ${err instanceof Error ? err.message : err}`);
  await cleanup(1);
}
