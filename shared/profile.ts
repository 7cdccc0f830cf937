// Profile data that crosses from the engine to the app: vCards (XEP-0054) and avatars
// (XEP-0084 / XEP-0153). Plain data; images as base64 strings, never URLs.

export interface VCardPhoto {
  /** MIME type as the vCard gives it ('image/png'); '' when it names none. */
  type: string;
  /** The image, base64 (RFC 4648, canonical, no line breaks). */
  data: string;
}

/** The fields of a vCard (XEP-0054 vcard-temp) Flint shows and edits. */
export interface VCard {
  /** Formatted name (FN); built from N's parts when a vCard has no FN. */
  fn?: string;
  nickname?: string;
  /** Email addresses (EMAIL/USERID), in order, without duplicates. */
  email: string[];
  /** Phone numbers (TEL/NUMBER), in order, without duplicates. */
  tel: string[];
  org?: { name?: string; unit?: string };
  title?: string;
  photo?: VCardPhoto;
}

/**
 * What set() writes: the same fields; `photo: undefined` keeps the photo already stored, `null`
 * removes it. Fields Flint does not model (address, birthday, …) are always kept.
 */
export type VCardUpdate = Omit<VCard, 'photo'> & { photo?: VCardPhoto | null };

/** Where an avatar hash was announced: XEP-0153 presence (vCard photo) or XEP-0084 PEP metadata. */
export type AvatarSource = 'vcard' | 'pep';

export interface AvatarImage {
  /** MIME type ('image/png'), '' when unknown. */
  type: string;
  /** base64 of the image bytes, whose SHA-1 (hex) is the avatar's hash. */
  data: string;
}

/** What Flint can tell about one of a contact's resources (clients): for the per-resource card. */
export interface ResourceInfo {
  /** Full JID. */
  jid: string;
  /** XEP-0092 software name and version, when the client answers. */
  client?: { name: string; version: string; os?: string };
  /** XEP-0115 caps node (the client's home page URI), when it sent caps. */
  capsNode?: string;
  /** Disco features (via the caps cache when possible), sorted. */
  features: string[];
}
