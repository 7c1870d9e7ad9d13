import type DataLoader from 'dataloader';
import type { SubgraphBaseContext, SubgraphOwnContext } from '@academy/graphql-http';
import type { ObjectStorage } from '@academy/storage';
import { entityLoader, keyedLoader, type Certificate, type Database, type ForwardedContext } from '@academy/platform';
import { CertificateRegistry } from './certificates/certificate-registry';
import { CertificateRepository } from './repositories/certificate-repository';
import { VerificationRepository } from './repositories/verification-repository';

export interface SubgraphContext extends SubgraphBaseContext {
  /** The apps' address per tenant, with `{tenant}`. */
  appUrl: string;
  /** Where the certificate and DC-3 PDFs are kept (presigned downloads). */
  storage: ObjectStorage;
  certificates: CertificateRepository;
  registry: CertificateRegistry;
  loaders: {
    certificate: DataLoader<string, Certificate | null>;
    certificatesOfLearner: DataLoader<string, Certificate[]>;
    certificateCount: DataLoader<string, number>;
  };
}

export interface CertificationsDependencies {
  database: Database;
  /** The apps' address per tenant, with `{tenant}` (the gateway's host, which serves /verify/<code>). */
  appUrl: string;
  storage: ObjectStorage;
}

export function contextFactory(deps: CertificationsDependencies) {
  const verification = new VerificationRepository(deps.database);
  return (forwarded: ForwardedContext): SubgraphOwnContext<SubgraphContext> => {
    const certificates = new CertificateRepository(deps.database.forTenant(forwarded.tenant.id));
    const certificate = entityLoader((ids) => certificates.findByIds(ids));
    return {
      ...forwarded,
      appUrl: deps.appUrl,
      storage: deps.storage,
      certificates,
      registry: new CertificateRegistry(certificates, verification, forwarded.tenant, (id) => certificate.load(id)),
      loaders: {
        certificate,
        certificatesOfLearner: keyedLoader((ids) => certificates.ofLearners(ids), [] as Certificate[]),
        certificateCount: keyedLoader((ids) => certificates.countsByCourse(ids), 0),
      },
    };
  };
}
