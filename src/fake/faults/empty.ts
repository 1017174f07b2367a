import { defineFault } from "./define-fault.js";

/** The connection closes with no answer at all ("socket hang up", "other side closed"). */
export const empty = defineFault({
  askedBy: { effect: "empty" },
  schema: "/components/schemas/FaultEffect",
  help: "the connection is closed with no answer",
  answer: () => ({ connection: "empty" }),
});
