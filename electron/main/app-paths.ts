// Where Flint keeps its files. The desktop app uses Electron's userData (…/Flint); web mode uses
// its own profile (…/Flint-web) so the two never share an account file or a keystore.
// FLINT_DATA_DIR overrides both: tests and the demo point it at a throw-away directory.
import os from 'node:os';
import path from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

/** The per-user configuration root of the platform (XDG on Linux and the BSDs). */
export function userConfigRoot(platform: NodeJS.Platform = process.platform, env: Env = process.env, home: string = os.homedir()): string {
  if (platform === 'win32') return env.APPDATA || path.join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support');
  // XDG Base Directory spec: a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  return xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config');
}

/** FLINT_DATA_DIR (resolved against the working directory) when set. */
export function dataDirOverride(env: Env = process.env): string | undefined {
  const dir = env.FLINT_DATA_DIR;
  return dir ? path.resolve(dir) : undefined;
}

/** The profile directory of `npm run web`. */
export function webDataDir(env: Env = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  return dataDirOverride(env) ?? path.join(userConfigRoot(platform, env, home), 'Flint-web');
}

/** The built renderer inside the app (the directory holding package.json, or the asar root). */
export function rendererDir(appRoot: string): string {
  return path.join(appRoot, 'dist', 'renderer');
}
