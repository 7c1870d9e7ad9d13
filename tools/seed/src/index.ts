export { buildSeed, demoApiKey, demoInvitationToken, type TenantSeed } from './build';
export { DEMO_API_KEY, DEMO_PASSWORD, TENANTS } from './dataset';
export { seedId } from './ids';
export { seedDatabase, settleImpact, startOfUtcDay, type SeedCounts } from './seed';
