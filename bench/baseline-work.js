// The baseline's work, shared by the HTTP baseline (baseline-server.js) and the in-process one (in-process.js): the
// same in-memory work as the fake's hot path (parse the JSON body, find the user by email in a Map, merge the
// fields, answer the user as JSON), with no rules and no validation.

/** Users by lower-case email, from a fixtures object. */
export function usersByEmail(state) {
  return new Map(state.users.map((u) => [u.email.toLowerCase(), u]));
}

/** The answer to one request body: `{ status, text }`. */
export function baselineAnswer(byEmail, requestText) {
  let status = 200;
  let body;
  try {
    const data = JSON.parse(requestText).data;
    const user = byEmail.get(String(data.email).toLowerCase());
    if (!user) {
      status = 400;
      body = { status, success: false, message: `User ${data.email} does not exist` };
    } else {
      for (const [k, v] of Object.entries(data)) if (k !== "email") user[k] = v;
      body = { status, success: true, message: "Profile updated successfully", data: { user } };
    }
  } catch (error) {
    status = 400;
    body = { status, success: false, message: `Request body is not valid JSON: ${error.message}` };
  }
  return { status, text: JSON.stringify(body) };
}
