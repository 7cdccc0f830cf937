// The file-transfer modules (issue 6), in the order they go into a connection's module list.
// They are listed apart from defaultModules() until main's TransferService is wired into the
// account service: announcing SI/Jingle features with nobody to answer offers would leave peers
// waiting. Place them before rfc6121-im: xep0363-upload reads shared links on messages without
// consuming them, and im consumes every message with a body.
import type { AnyModule } from '../module';
import { uploadModule } from './xep0363-upload';
import { ibbModule } from './xep0047-ibb';
import { socks5Module } from './xep0065-socks5';
import { siModule } from './xep0095-si';
import { jingleModule } from './xep0234-jingle-ft';

// OOB_NS is exported by xep0077-register already (same namespace).
export { parseOob, buildOob, parseHttpUrl, type OobData } from './xep0066-oob';
export * from './xep0363-upload';
export * from './xep0047-ibb';
export * from './xep0065-socks5';
export * from './xep0095-si';
export * from './xep0234-jingle-ft';
export * from './xep0234-jingle-ft/hashes';
export * from './xep0234-jingle-ft/file-metadata';

export function fileTransferModules(): AnyModule[] {
  return [uploadModule, ibbModule, socks5Module, siModule, jingleModule];
}

/** `modules` with the file-transfer modules placed right before rfc6121-im (see above). */
export function withFileTransferModules(modules: AnyModule[]): AnyModule[] {
  const at = modules.findIndex((m) => m.name === 'rfc6121-im');
  const out = [...modules];
  out.splice(at < 0 ? out.length : at, 0, ...fileTransferModules());
  return out;
}
