/** What every scenario of `npm run bench` is given. */
export interface ScenarioOptions {
  /** Owner URL of the PostgreSQL server the scenario makes its scratch database on. */
  serverUrl: string;
  redisUrl: string;
  /** Password of the services' role on the scratch database. */
  appPassword: string;
  quick: boolean;
  /** `--minutes N`: the soak's length (default 30, quick 2). */
  soakMinutes?: number;
  log(line: string): void;
}
