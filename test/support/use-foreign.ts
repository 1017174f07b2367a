// For a test file: start foreign deployments freely; every one started in a test is closed after it.
import { closedAfterEach } from "./closed-after-each.js";
import { startForeignDeployment, type ForeignDeployment, type ForeignOptions } from "./foreign-deployment.js";

export function useForeignDeployments(defaults: ForeignOptions = {}): (options?: ForeignOptions) => Promise<ForeignDeployment> {
  const start = closedAfterEach((options: ForeignOptions) => startForeignDeployment({ ...defaults, ...options }));
  return (options = {}) => start(options);
}
