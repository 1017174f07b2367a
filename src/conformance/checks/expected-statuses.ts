import type { Expectation } from "../scenario.js";

/** The statuses a step expects, any one of which conforms (none: the step names no status). */
export const expectedStatuses = (expect: Expectation): number[] => (expect.status === undefined ? [] : [expect.status].flat());
