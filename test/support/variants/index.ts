// Independent deployments of the vendor's "Update user profile" endpoint, one per seed, with planted breaks.
export { BREAKS, breakBug, breakRule, knobsForBreaks, type Break } from "./breaks.js";
export { describeKnobs, drawKnobs } from "./draw-knobs.js";
export type { AccountKnobs, Envelope, Knobs, Refusal, RefusalKind } from "./knobs.js";
export { RULES, RULE_IDS, type RuleId } from "./rules.js";
export { startVariant, type VariantDeployment } from "./start-variant.js";
export type { TargetFile } from "./target-file.js";
