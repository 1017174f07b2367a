// The request mixes the benchmark sends: success-only, and a realistic mix of every documented outcome and
// validation errors. Each request knows the status a conforming server answers.
const post = (body, expected) => ({
  method: "POST",
  path: "/api/v1/users",
  headers: { "content-type": "application/json", "cv-api-key": "cvk_test_clinic_a_4f1c2d9e" },
  body: typeof body === "string" ? body : JSON.stringify(body),
  expected,
});
const update = (data, expected) => post({ action: "UPDATE_PROFILE", data }, expected);

export function successOnly(emails) {
  return emails.map((email, i) => update({ email, city: `City${i % 5}`, postalCode: "02108" }, 200));
}

/** `accounts`: emails for each outcome on the fixture set in use. */
export function mixed(accounts) {
  return [
    ...accounts.updatable.slice(0, 4).map((email) => update({ email, city: "Boston", address2: "Apt 1" }, 200)),
    update({ email: accounts.updatable[0], firstName: "Ann", dob: "1991-02-03" }, 200),
    update({ email: "nobody@nowhere.test", city: "X" }, 400),
    update({ email: accounts.otherOrganization, city: "X" }, 400),
    update({ email: accounts.staff, city: "X" }, 400),
    update({ email: accounts.locked, lastName: "Changed", city: "X" }, 400),
    update({ email: accounts.updatable[1], phoneNumber: accounts.takenPhone }, 400),
    update({ email: accounts.updatable[2], dob: "1995-02-30", gender: "male" }, 400),
    post('{"action":"UPDATE_PROFILE","data":{"email":"x@y.z" "city":"X"}}', 400),
  ];
}
