import type DataLoader from 'dataloader';
import type { CredentialSigner } from '@academy/credentials';
import type { SubgraphBaseContext, SubgraphOwnContext } from '@academy/graphql-http';
import type { ObjectStorage } from '@academy/storage';
import { entityLoader, keyedLoader, type Certificate, type Database, type Dc3, type ForwardedContext } from '@academy/platform';
import { CertificateDocuments } from './certificates/certificate-documents';
import { CertificateRegistry } from './certificates/certificate-registry';
import { CertificateRepository } from './repositories/certificate-repository';
import { Dc3Issuer } from './dc3/dc3-issuer';
import { Dc3Repository } from './repositories/dc3-repository';
import { StatusListRepository } from './repositories/status-list-repository';
import { VerificationRepository } from './repositories/verification-repository';
import { StatusListPublisher } from './status-lists/status-list-publisher';

export interface SubgraphContext extends SubgraphBaseContext {
  /** The apps' address per tenant, with `{tenant}`. */
  appUrl: string;
  /** Where the certificate and DC-3 PDFs are kept (presigned downloads). */
  storage: ObjectStorage;
  certificates: CertificateRepository;
  registry: CertificateRegistry;
  /** The certificates' PDFs (Certificate.pdfUrl). */
  documents: CertificateDocuments;
  /** The tenant's revocation status lists (Bitstring Status List credentials). */
  statusLists: StatusListPublisher;
  dc3s: Dc3Repository;
  dc3Issuer: Dc3Issuer;
  loaders: {
    certificate: DataLoader<string, Certificate | null>;
    certificatesOfLearner: DataLoader<string, Certificate[]>;
    certificateCount: DataLoader<string, number>;
    courseTitle: DataLoader<string, string | null>;
    dc3OfEnrollment: DataLoader<string, Dc3 | null>;
    learnerOfEnrollment: DataLoader<string, string | null>;
  };
}

export interface CertificationsDependencies {
  database: Database;
  /** The apps' address per tenant, with `{tenant}` (the gateway's host, which serves /verify/<code>). */
  appUrl: string;
  storage: ObjectStorage;
  /** Signs the tenant's status lists (the credential keys the courses subgraph signs certificates with). */
  credentials: CredentialSigner;
  /** Tenants live at <slug>.<baseDomain>: their did:web and status list URLs are named after it. */
  baseDomain: string;
}

export function contextFactory(deps: CertificationsDependencies) {
  const verification = new VerificationRepository(deps.database);
  return (forwarded: ForwardedContext): SubgraphOwnContext<SubgraphContext> => {
    const certificates = new CertificateRepository(deps.database.forTenant(forwarded.tenant.id));
    const certificate = entityLoader((ids) => certificates.findByIds(ids));
    const courseTitle = keyedLoader((ids: readonly string[]) => certificates.courseTitles(ids), null as string | null);
    const dc3s = new Dc3Repository(deps.database.forTenant(forwarded.tenant.id));
    return {
      ...forwarded,
      appUrl: deps.appUrl,
      storage: deps.storage,
      certificates,
      dc3s,
      dc3Issuer: new Dc3Issuer(dc3s, deps.storage, forwarded.tenant),
      registry: new CertificateRegistry(certificates, verification, forwarded.tenant, (id) => certificate.load(id)),
      documents: new CertificateDocuments(certificates, deps.storage, forwarded.tenant, deps.appUrl),
      statusLists: new StatusListPublisher(
        new StatusListRepository(deps.database.forTenant(forwarded.tenant.id)),
        deps.credentials,
        forwarded.tenant,
        deps.baseDomain,
      ),
      loaders: {
        certificate,
        // A learner's certificates come with their courses' titles: what a list of them shows.
        certificatesOfLearner: keyedLoader(async (ids) => {
          const { byLearner, courseTitles } = await certificates.ofLearners(ids);
          for (const rows of byLearner.values()) for (const row of rows) certificate.prime(row.id, row);
          for (const [courseId, title] of courseTitles) courseTitle.prime(courseId, title);
          return byLearner;
        }, [] as Certificate[]),
        certificateCount: keyedLoader((ids) => certificates.countsByCourse(ids), 0),
        courseTitle,
        dc3OfEnrollment: keyedLoader((ids) => dc3s.ofEnrollments(ids), null as Dc3 | null),
        learnerOfEnrollment: keyedLoader((ids) => dc3s.learnersOfEnrollments(ids), null as string | null),
      },
    };
  };
}
