import DataLoader from 'dataloader';
import { renderCertificatePdf } from '@academy/documents';
import { UpstreamUnavailableError, type Certificate, type CertificateStatus, type Prisma, type TenantRef } from '@academy/platform';
import type { ObjectStorage } from '@academy/storage';
import type { AcademyPrintFacts, CertificatePrintFacts, CertificateRepository } from '../repositories/certificate-repository';

const PDF = 'application/pdf';
/** The statuses a certificate of a status has left behind (a revoked one was issued), whose PDFs go. */
const SUPERSEDED: Record<CertificateStatus, CertificateStatus[]> = { ISSUED: [], REVOKED: ['ISSUED'] };
/** PDFs made at once for one request (a list of certificates asked for the first time). */
const CONCURRENT_RENDERS = 4;

/** The public verification page of a certificate: the apps' host of the tenant, /verify/<code>. */
export function verificationUrlOf(appUrl: string, tenant: Pick<TenantRef, 'slug'>, verificationCode: string): string {
  return `${appUrl.replace('{tenant}', tenant.slug)}/verify/${encodeURIComponent(verificationCode)}`;
}

/**
 * Where a certificate's PDF of a status is kept: under the tenant, as media keys are. The same key
 * for the same certificate and status, so two first requests at once write the same object.
 */
export function certificatePdfKey(tenantId: string, certificateId: string, status: CertificateStatus): string {
  return `${tenantId}/certificates/${certificateId}/${status.toLowerCase()}.pdf`;
}

/**
 * Certificate PDFs: made when first asked for, and again when the certificate's status is no longer
 * the one its PDF shows (a revoked certificate's says REVOCADO), kept in object storage and handed out
 * as short-lived download URLs. The certificates asked for in one request are handled together:
 * one query for what they print, the academy's logo read once, a few PDFs made at a time.
 */
export class CertificateDocuments {
  private readonly urls: DataLoader<Certificate, string, string>;

  constructor(
    private readonly certificates: CertificateRepository,
    private readonly storage: ObjectStorage,
    private readonly tenant: TenantRef,
    private readonly appUrl: string,
  ) {
    this.urls = new DataLoader((list) => this.downloadUrls(list), {
      cacheKeyFn: (certificate) => `${certificate.id}:${certificate.status}`,
    });
  }

  /** A download URL of the PDF of the certificate as it is (its status), made and stored first if needed. */
  pdfUrl(certificate: Certificate): Promise<string> {
    return this.urls.load(certificate);
  }

  private async downloadUrls(list: readonly Certificate[]): Promise<(string | Error)[]> {
    const stale = list.filter((certificate) => !certificate.pdfStorageKey || certificate.pdfStatus !== certificate.status);
    const made = stale.length > 0 ? await this.make(stale) : new Map<string, string | Error>();
    return Promise.all(
      list.map(async (certificate) => {
        const key = made.get(certificate.id) ?? certificate.pdfStorageKey!;
        if (key instanceof Error) return key;
        return this.storage.presignDownload(key, { fileName: `certificado-${certificate.verificationCode}.pdf`, contentType: PDF });
      }),
    );
  }

  /** Makes, stores and records the PDFs; each certificate's storage key, or what went wrong with it. */
  private async make(stale: readonly Certificate[]): Promise<Map<string, string | Error>> {
    const facts = await this.certificates.printFacts(stale.map((certificate) => certificate.id));
    const academy = await this.academyOf(facts.academy);
    const results = new Map<string, string | Error>();
    const queue = [...stale];
    const stored: { certificate: Certificate; storageKey: string }[] = [];
    const worker = async () => {
      for (let certificate = queue.shift(); certificate; certificate = queue.shift()) {
        const printed = facts.certificates.get(certificate.id);
        try {
          if (!printed) throw new Error(`Certificate ${certificate.id} has no learner or course to print`);
          const storageKey = certificatePdfKey(this.tenant.id, certificate.id, certificate.status);
          await this.storage.write(storageKey, await this.render(certificate, printed, academy), PDF);
          stored.push({ certificate, storageKey });
          results.set(certificate.id, storageKey);
        } catch (error) {
          results.set(certificate.id, error instanceof Error ? error : new Error(String(error)));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_RENDERS, stale.length) }, worker));

    const recorded = await this.certificates.recordPdfs(
      stored.map(({ certificate, storageKey }) => ({ id: certificate.id, status: certificate.status, storageKey })),
    );
    // A superseded PDF (the valid-looking one of a revoked certificate: recorded, or made by a request
    // that read the certificate just before its revocation) is not left where a URL could find it.
    for (const { certificate, storageKey } of stored) {
      if (!recorded.has(certificate.id)) continue;
      const superseded = new Set([
        certificate.pdfStorageKey,
        ...SUPERSEDED[certificate.status].map((status) => certificatePdfKey(this.tenant.id, certificate.id, status)),
      ]);
      for (const key of superseded) if (key && key !== storageKey) await this.storage.delete(key).catch(() => undefined);
    }
    return results;
  }

  private render(certificate: Certificate, printed: CertificatePrintFacts, academy: Academy): Promise<Buffer> {
    return renderCertificatePdf({
      learnerName: printed.learnerName,
      courseTitle: printed.courseTitle,
      academy: { name: academy.name, primaryColor: academy.primaryColor, logo: academy.logo },
      issuedAt: certificate.issuedAt,
      timeZone: academy.timeZone,
      competencyStandard: printed.standard,
      verificationCode: certificate.verificationCode,
      verificationUrl: verificationUrlOf(this.appUrl, this.tenant, certificate.verificationCode),
      revocation:
        certificate.status === 'REVOKED'
          ? { revokedAt: certificate.revokedAt ?? certificate.issuedAt, reason: certificate.revocationReason ?? '' }
          : null,
    });
  }

  /**
   * The academy's branding as its settings give it (users subgraph: tenant-settings.ts), and its logo
   * when it is a PNG or JPEG; a logo that cannot be read is left out, unless storage is down (then
   * no PDF is made: it would be kept without the logo).
   */
  private async academyOf(facts: AcademyPrintFacts): Promise<Academy> {
    const settings = objectOf(facts.settings);
    const text = (field: string) => (typeof settings[field] === 'string' && settings[field] ? (settings[field] as string) : null);
    let logo: Buffer | null = null;
    if (facts.logo && ['image/png', 'image/jpeg'].includes(facts.logo.contentType)) {
      logo = await this.storage.read(facts.logo.storageKey).catch((error: unknown) => {
        if (error instanceof UpstreamUnavailableError) throw error;
        return null;
      });
    }
    return { name: text('displayName') ?? facts.name, primaryColor: text('primaryColor'), timeZone: text('timezone'), logo };
  }
}

interface Academy {
  name: string;
  primaryColor: string | null;
  timeZone: string | null;
  logo: Buffer | null;
}

function objectOf(value: Prisma.JsonValue): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
