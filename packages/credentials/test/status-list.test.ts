import { gunzipSync } from 'node:zlib';
import { CredentialIssuer, decodeStatusList, encodeStatusList, statusBit, statusListEntry, statusListPosition } from '../src';

describe('Bitstring Status List', () => {
  it('encodes 131,072 bits as multibase base64url of their GZIP, bit 0 the most significant bit of byte 0', () => {
    const encoded = encodeStatusList([0, 9, 131_071]);
    expect(encoded).toMatch(/^u[A-Za-z0-9_-]+$/);
    const bytes = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    expect(bytes).toHaveLength(16_384);
    expect([bytes[0], bytes[1], bytes[16_383], bytes.subarray(2, 16_383).every((byte) => byte === 0)]).toEqual([0x80, 0x40, 0x01, true]);
    const decoded = decodeStatusList(encoded);
    expect([0, 1, 8, 9, 131_071].map((bit) => statusBit(decoded, bit))).toEqual([true, false, false, true, true]);
    expect(() => encodeStatusList([131_072])).toThrow(RangeError);
  });

  it("names a certificate's bit by list and position within it", () => {
    const issuer = new CredentialIssuer('sol', 'academy.mx');
    expect(statusListPosition(131_073)).toEqual({ list: 2, bit: 1 });
    expect(statusListEntry(issuer, 131_073)).toEqual({
      id: 'https://sol.academy.mx/credentials/status/2#1',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '1',
      statusListCredential: 'https://sol.academy.mx/credentials/status/2',
    });
  });

  it('percent-encodes a port in did:web', () => {
    const issuer = new CredentialIssuer('sol', 'localhost:4000');
    expect({ did: issuer.did, origin: issuer.origin, key: issuer.keyId('k1') }).toEqual({
      did: 'did:web:sol.localhost%3A4000',
      origin: 'https://sol.localhost:4000',
      key: 'did:web:sol.localhost%3A4000#k1',
    });
  });
});
