/**
 * @module conformance/write-back
 * Whether a value read from a target can be written back through this endpoint as it was. Only such fields are
 * ever written: the page says nothing of clearing a field (null), a legacy value its own rules now refuse
 * ("New York" as a state) cannot be sent again, and a date of birth answered in another form or time zone cannot be
 * turned back into the same YYYY-MM-DD with certainty.
 */
import type { Contract } from "../contract/contract.js";
import { dayOf, isEmptyValue } from "./checks/normal-form.js";

/** Empty on the target: null, absent or "". */
export const isEmpty = isEmptyValue;

/** The value to send to put this field back as it was read; undefined when there is none. */
export function writeBackValue(contract: Contract, field: string, value: unknown): unknown {
  if (isEmpty(value)) return undefined;
  // Only a plain date, or midnight UTC as the page shows it, names one calendar day for sure.
  const sent = field === "dob" ? dayOf(value) : value;
  if (sent === undefined) return undefined;
  const issues = contract.validateUpdateRequest({ action: "UPDATE_PROFILE", data: { email: "write-back@example.com", [field]: sent } });
  return issues.length === 0 ? sent : undefined;
}

export const canWriteBack = (contract: Contract, field: string, value: unknown): boolean => writeBackValue(contract, field, value) !== undefined;
