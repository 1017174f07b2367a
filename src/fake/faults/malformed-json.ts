import { defineFault } from "./define-fault.js";

/** A 200 whose JSON stops half-way: what a proxy that cut the connection leaves behind. */
export const malformedJson = defineFault({
  askedBy: { effect: "malformedJson" },
  schema: "/components/schemas/FaultEffect",
  help: "a 200 whose JSON stops half-way",
  answer: () => ({ status: 200, raw: '{"status":200,"success":true,"message":"Profile upd' }),
});
