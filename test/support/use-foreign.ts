// For a test file: start foreign deployments freely; every one started in a test is closed after it.
import { afterEach } from "vitest";
import { startForeignDeployment, type ForeignDeployment, type ForeignOptions } from "./foreign-deployment.js";

export function useForeignDeployments(defaults: ForeignOptions = {}): (options?: ForeignOptions) => Promise<ForeignDeployment> {
  const started: ForeignDeployment[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((d) => d.close()));
  });
  return async (options = {}) => {
    const deployment = await startForeignDeployment({ ...defaults, ...options });
    started.push(deployment);
    return deployment;
  };
}
