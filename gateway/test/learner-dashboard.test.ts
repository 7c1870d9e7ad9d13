import { startSupergraph, type RunningSupergraph } from '@academy/testing';

const DASHBOARD = `query Dashboard {
  me {
    name
    enrollments { course { title instructor { name } competencyStandard { code title } } progressPercent }
    certificates { verificationCode conocerStatus course { title } }
    impact { overall }
  }
}`;

describe('learner dashboard through the gateway', () => {
  let supergraph: RunningSupergraph;
  beforeAll(async () => {
    supergraph = await startSupergraph();
  });
  afterAll(() => supergraph?.close());

  it('signs in a seeded learner and returns their enrollments, certificates and impact in one query', async () => {
    const token = await supergraph.login('learner@demo.academy.mx', 'academy-demo-2026', 'demo');
    const response = await supergraph.request(DASHBOARD, { token, tenant: 'demo' });
    console.log(JSON.stringify(response.body, null, 1).slice(0, 3000));
    expect(response.status).toBe(200);
  });
});
