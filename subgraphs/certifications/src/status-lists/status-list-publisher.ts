import { CredentialIssuer, statusListCredential, STATUS_LIST_SIZE, type CredentialSigner } from '@academy/credentials';
import type { TenantRef } from '@academy/platform';
import type { StatusListRepository } from '../repositories/status-list-repository';

/** Lists a tenant may have: more than 2^31 entries do not fit certificates.status_list_index. */
const MAX_LIST = Math.ceil(2 ** 31 / STATUS_LIST_SIZE);

/**
 * The tenant's revocation status lists (W3C Bitstring Status List), built when asked: bit i of
 * the tenant's lists is 1 iff its certificate with status_list_index i is REVOKED, so revoking a
 * certificate is the only write. List n (1-based) holds indexes (n-1)*131072 .. n*131072-1.
 * Signed as a VC-JWT by the platform's credential key, issuer = the tenant's did:web; the same
 * state gives the same JWT (validFrom is the list's last change), so it caches well.
 */
export class StatusListPublisher {
  constructor(
    private readonly entries: StatusListRepository,
    private readonly signer: CredentialSigner,
    private readonly tenant: TenantRef,
    private readonly baseDomain: string,
  ) {}

  /** List `list` as a VC-JWT; null when it holds no certificate yet (or cannot exist). */
  async signedList(list: number): Promise<string | null> {
    if (!Number.isInteger(list) || list < 1 || list > MAX_LIST) return null;
    const from = (list - 1) * STATUS_LIST_SIZE;
    const state = await this.entries.range(from, from + STATUS_LIST_SIZE - 1);
    if (!state) return null;
    const issuer = new CredentialIssuer(this.tenant.slug, this.baseDomain);
    const revokedBits = state.revoked.map((index) => index - from);
    return this.signer.signStatusList(statusListCredential(issuer, list, revokedBits, state.changedAt));
  }
}
