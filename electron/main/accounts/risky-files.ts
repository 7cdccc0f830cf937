// Which files "Open" must not hand to the operating system (issue 6: Open / Show in folder when
// done). Opening with the default app runs programs, scripts, installers, shortcuts and disk
// images (which mount and can carry autorun content or strip the mark of the web); for those the
// user gets "Show in folder" and decides there. The extension is what the desktop's file
// associations go by, so it is what counts; on POSIX an executable bit counts too.

/** Lower-case extensions, without the dot. */
const RISKY_EXTENSIONS = new Set([
  // Windows programs, scripts and shell items
  'exe', 'com', 'scr', 'pif', 'bat', 'cmd', 'msi', 'msp', 'mst', 'msc', 'cpl', 'dll', 'ocx', 'sys', 'drv',
  'ps1', 'psm1', 'psd1', 'ps1xml', 'psc1', 'vbs', 'vbe', 'js', 'jse', 'wsf', 'wsh', 'wsc', 'hta', 'sct',
  'lnk', 'url', 'scf', 'reg', 'inf', 'gadget', 'application', 'appref-ms', 'appx', 'appxbundle', 'msix',
  'msixbundle', 'settingcontent-ms', 'library-ms', 'search-ms', 'xll', 'xbap', 'chm', 'ins', 'isp', 'its',
  // disk images: mounting them hides what is inside from the usual checks
  'iso', 'img', 'vhd', 'vhdx',
  // cross-platform runtimes and script languages
  'jar', 'jnlp', 'py', 'pyw', 'pyc', 'pl', 'rb', 'php', 'lua', 'tcl',
  // Unix shells, desktop entries and packages
  'sh', 'bash', 'zsh', 'csh', 'ksh', 'fish', 'run', 'bin', 'elf', 'out', 'desktop', 'appimage', 'flatpak',
  'flatpakref', 'snap', 'deb', 'rpm',
  // macOS apps, installers and scripts
  'app', 'command', 'tool', 'dmg', 'pkg', 'mpkg', 'applescript', 'scpt', 'scptd', 'workflow', 'action',
  'terminal', 'webloc', 'inetloc', 'fileloc', 'kext', 'prefpane', 'osax',
]);

/** The extension as the desktop sees it: after the last dot, ignoring trailing dots and spaces (Windows drops them). */
export function extensionOf(name: string): string {
  const trimmed = name.replace(/[. ]+$/, '');
  const dot = trimmed.lastIndexOf('.');
  return dot < 0 ? '' : trimmed.slice(dot + 1).toLowerCase();
}

/**
 * True when opening `name` with the default app could run code. `mode` (stat's st_mode) makes any
 * file with an executable bit risky on POSIX systems, where opening one may run it.
 */
export function isRiskyToOpen(name: string, mode?: number, platform: NodeJS.Platform = process.platform): boolean {
  if (RISKY_EXTENSIONS.has(extensionOf(name))) return true;
  return platform !== 'win32' && mode !== undefined && (mode & 0o111) !== 0;
}
