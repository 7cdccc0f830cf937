// XEP-0092 §2: a version answer → plain data. Missing name/version come back as ''.
import { NS } from '../../module';
import type { XmlElement } from '../../xml/element';

export interface SoftwareVersion {
  name: string;
  version: string;
  os?: string;
}

export function parseVersion(query: XmlElement | undefined): SoftwareVersion {
  const name = query?.childText('name', NS.version)?.trim() ?? '';
  const version = query?.childText('version', NS.version)?.trim() ?? '';
  const os = query?.childText('os', NS.version)?.trim();
  return { name, version, ...(os ? { os } : {}) };
}
