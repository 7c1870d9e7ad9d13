/**
 * Redis keys more than one service reads (after the deployment's key prefix).
 * STANDARDS_VERSION_KEY: bumped by every standards sync that changed the catalogue; the conocer
 * subgraph's standard cache and the gateway's response cache key on it, so a sync is visible at once.
 */
export const STANDARDS_VERSION_KEY = 'standards:version';
