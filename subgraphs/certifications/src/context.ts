import type DataLoader from 'dataloader';
import type { SubgraphBaseContext } from '@academy/graphql-http';
import { entityLoader, keyedLoader, type Certificate, type Database, type ForwardedContext } from '@academy/platform';
import { CertificateRepository } from './repositories/certificate-repository';
import { VerificationRepository } from './repositories/verification-repository';

export interface SubgraphContext extends SubgraphBaseContext {
  certificates: CertificateRepository;
  verification: VerificationRepository;
  loaders: {
    certificate: DataLoader<string, Certificate | null>;
    certificatesOfLearner: DataLoader<string, Certificate[]>;
    certificateCount: DataLoader<string, number>;
  };
}

export interface CertificationsDependencies {
  database: Database;
}

export function contextFactory(deps: CertificationsDependencies) {
  const verification = new VerificationRepository(deps.database);
  return (forwarded: ForwardedContext): SubgraphContext => {
    const certificates = new CertificateRepository(deps.database.forTenant(forwarded.tenant.id));
    return {
      ...forwarded,
      signedByGateway: true,
      certificates,
      verification,
      loaders: {
        certificate: entityLoader((ids) => certificates.findByIds(ids)),
        certificatesOfLearner: keyedLoader((ids) => certificates.ofLearners(ids), [] as Certificate[]),
        certificateCount: keyedLoader((ids) => certificates.countsByCourse(ids), 0),
      },
    };
  };
}
