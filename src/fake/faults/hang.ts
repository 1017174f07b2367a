import { defineFault } from "./define-fault.js";

/** The service takes the request and never answers: the client's own timeout is what is tested. */
export const hang = defineFault({
  askedBy: { effect: "hang" },
  schema: "/components/schemas/FaultEffect",
  help: "no answer until the client gives up",
  answer: () => ({ connection: "hang" }),
});
