// The rules the vendor page documents, each with the sentence that obliges the server. Planted breaks name one each.

export const RULES = {
  key: 'cv-api-key: "Required. Your unique API key for authentication."',
  contentType: 'Content-Type: "Required. Must be application/json."',
  action: 'action: "Required. … This should always be UPDATE_PROFILE."',
  formats: 'data fields are strings; dob "in YYYY-MM-DD format"; state and country "2-character abbreviation"; postalCode "must contain only digits"',
  userExists: '"If the email provided … does not correspond to an existing user": 400 "User {email} does not exist"',
  organization:
    '"If the user exists but is not part of the organization associated with the API key": 400 "User {email} does not exist in the organization"',
  role: '"If the user\'s role is not USER, they are not permitted to update their own profile": 400 "Not allowed to update the profile"',
  lock: '"Users can freely update their profile information until a case has been assigned … Once a case is assigned, the following fields are locked: firstName, lastName, dob, and gender" (statuses Approved, Assigned, InProgress, NoDecision, Rejected)',
  phone:
    '"If the new phoneNumber provided is already associated with a different user": 400 "Unable to use this phone number. Please use a different one"',
  success:
    '"A successful request returns a 200 status code and a JSON object containing the updated user details" ({status:200, success:true, message:"Profile updated successfully", data:{user}})',
  partial:
    '"Use this API to update the profile information for an existing user": data holds "the user\'s profile details to be updated", and nothing else changes',
  noCrash: "general rule: bad input gets a clear 4xx answer with a JSON body, never a 5xx, an HTML page or a stack trace",
} as const;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as RuleId[];
