import { gunzipSync, gzipSync } from 'node:zlib';
import { STATUS_LIST_SIZE, statusListPosition, type CredentialIssuer } from './issuer-identity';

/**
 * A credential's `credentialStatus`: its bit in the issuer's revocation list (W3C Bitstring Status
 * List). `statusListIndex` is the bit within the list `statusListCredential` names, as the spec
 * reads it: for the tenant's index i, bit i mod 131072 of list floor(i / 131072) + 1.
 */
export interface BitstringStatusListEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: 'revocation';
  statusListIndex: string;
  statusListCredential: string;
}

export function statusListEntry(issuer: CredentialIssuer, index: number): BitstringStatusListEntry {
  const { list, bit } = statusListPosition(index);
  const url = issuer.statusListUrl(list);
  return {
    id: `${url}#${bit}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: String(bit),
    statusListCredential: url,
  };
}

/**
 * `encodedList` of a list whose given bits are set: the multibase base64url (prefix `u`, no
 * padding) of the GZIP of the 131,072-bit string, bit 0 the most significant bit of byte 0.
 */
export function encodeStatusList(setBits: Iterable<number>): string {
  const bytes = Buffer.alloc(STATUS_LIST_SIZE / 8);
  for (const bit of setBits) {
    if (!Number.isInteger(bit) || bit < 0 || bit >= STATUS_LIST_SIZE) throw new RangeError(`No bit ${bit} in a status list`);
    bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  }
  return `u${gzipSync(bytes).toString('base64url')}`;
}

/** The bitstring of an `encodedList`. */
export function decodeStatusList(encodedList: string): Buffer {
  if (!encodedList.startsWith('u')) throw new Error('encodedList must be multibase base64url (prefix u)');
  return gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
}

/** Whether bit `bit` of a decoded bitstring is set. */
export function statusBit(bitstring: Uint8Array, bit: number): boolean {
  return ((bitstring[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0;
}

export interface StatusListCredential {
  '@context': string[];
  id: string;
  type: ['VerifiableCredential', 'BitstringStatusListCredential'];
  issuer: string;
  validFrom: string;
  credentialSubject: { id: string; type: 'BitstringStatusList'; statusPurpose: 'revocation'; encodedList: string };
}

/** Revocation list `list` of an issuer: the given bits (within the list) set, valid from the list's last change. */
export function statusListCredential(
  issuer: CredentialIssuer,
  list: number,
  revokedBits: Iterable<number>,
  validFrom: Date,
): StatusListCredential {
  const url = issuer.statusListUrl(list);
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: issuer.did,
    validFrom: validFrom.toISOString(),
    credentialSubject: {
      id: `${url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: encodeStatusList(revokedBits),
    },
  };
}
