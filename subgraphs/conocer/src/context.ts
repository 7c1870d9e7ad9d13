import type DataLoader from 'dataloader';
import type { SubgraphBaseContext, SubgraphOwnContext } from '@academy/graphql-http';
import {
  entityLoader,
  keyedLoader,
  type CompetencyStandard,
  type ConocerStatusChange,
  type ConocerSubmission,
  type Database,
  type EvaluationCriterion,
  type Evidence,
  type ForwardedContext,
} from '@academy/platform';
import { CertificationRequests } from './compliance/certification-requests';
import { EvaluationPortfolios } from './portfolio/evaluation-portfolios';
import type { PortfolioModel } from './portfolio/portfolio-view';
import { CourseFactsRepository } from './repositories/course-facts-repository';
import { PortfolioRepository } from './repositories/portfolio-repository';
import type { StandardCache } from './repositories/standard-cache';
import { StandardRepository } from './repositories/standard-repository';
import { SubmissionRepository } from './repositories/submission-repository';

/** The breakers in front of CONOCER, as `conocerSyncStatus.circuit` reports them. */
export interface CircuitReporter {
  state(): Promise<'CLOSED' | 'OPEN' | 'HALF_OPEN'>;
}

/** Asks the workers for a standards sync now and waits (a while) for it to finish. */
export interface StandardsSyncTrigger {
  syncNow(requestedBy: string): Promise<void>;
}

export interface SubgraphContext extends SubgraphBaseContext {
  standards: StandardRepository;
  submissions: SubmissionRepository;
  facts: CourseFactsRepository;
  requests: CertificationRequests;
  portfolios: PortfolioRepository;
  evaluation: EvaluationPortfolios;
  circuit: CircuitReporter;
  standardsSync: StandardsSyncTrigger;
  loaders: {
    standard: DataLoader<string, CompetencyStandard | null>;
    submission: DataLoader<string, ConocerSubmission | null>;
    submissionOfCertificate: DataLoader<string, ConocerSubmission | null>;
    history: DataLoader<string, ConocerStatusChange[]>;
    statusChange: DataLoader<string, ConocerStatusChange | null>;
    /** By enrollment id: null when it is no enrollment of a course aligned to a standard. */
    portfolio: DataLoader<string, PortfolioModel | null>;
    criteriaOfCourse: DataLoader<string, EvaluationCriterion[]>;
    criterion: DataLoader<string, EvaluationCriterion | null>;
    evidence: DataLoader<string, Evidence | null>;
    evidenceOfPortfolio: DataLoader<string, Evidence[]>;
    filesOfEvidence: DataLoader<string, string[]>;
  };
}

export interface ConocerDependencies {
  database: Database;
  circuit: CircuitReporter;
  standardCache: StandardCache;
  standardsSync: StandardsSyncTrigger;
}

export function contextFactory(deps: ConocerDependencies) {
  const standards = new StandardRepository(deps.database, deps.standardCache);
  return (forwarded: ForwardedContext): SubgraphOwnContext<SubgraphContext> => {
    const db = deps.database.forTenant(forwarded.tenant.id);
    const submissions = new SubmissionRepository(db);
    const facts = new CourseFactsRepository(db);
    const portfolios = new PortfolioRepository(db);
    return {
      ...forwarded,
      standards,
      submissions,
      facts,
      requests: new CertificationRequests(submissions, facts),
      portfolios,
      evaluation: new EvaluationPortfolios(portfolios),
      circuit: deps.circuit,
      standardsSync: deps.standardsSync,
      loaders: {
        standard: keyedLoader(
          async (codes) => new Map((await standards.findByCodes(codes)).map((s) => [s.code, s])),
          null as CompetencyStandard | null,
        ),
        submission: entityLoader((ids) => submissions.findByIds(ids)),
        submissionOfCertificate: keyedLoader((ids) => submissions.ofCertificates(ids), null as ConocerSubmission | null),
        history: keyedLoader((ids) => submissions.historyOf(ids), [] as ConocerStatusChange[]),
        statusChange: entityLoader((ids) => submissions.statusChangesByIds(ids)),
        portfolio: entityLoader((ids) => portfolios.views(ids)),
        criteriaOfCourse: keyedLoader((ids) => portfolios.criteriaOfCourses(ids), [] as EvaluationCriterion[]),
        criterion: entityLoader((ids) => portfolios.criteriaByIds(ids)),
        evidence: entityLoader((ids) => portfolios.evidenceByIds(ids)),
        evidenceOfPortfolio: keyedLoader((ids) => portfolios.evidenceOfPortfolios(ids), [] as Evidence[]),
        filesOfEvidence: keyedLoader((ids) => portfolios.filesOfEvidence(ids), [] as string[]),
      },
    };
  };
}
