import { defineFault } from "./define-fault.js";

/** A load balancer or a crashed process resets the connection (ECONNRESET). */
export const reset = defineFault({
  askedBy: { effect: "reset" },
  schema: "/components/schemas/FaultEffect",
  help: "the connection is reset",
  answer: () => ({ connection: "reset" }),
});
