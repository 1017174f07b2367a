// What the vendor page says, copied character for character, so tests judge the kit against the page itself.

export const PAGE_MESSAGES = {
  success: "Profile updated successfully",
  userDoesNotExist: (email: string) => `User ${email} does not exist`,
  userNotInOrganization: (email: string) => `User ${email} does not exist in the organization`,
  notAllowed: "Not allowed to update the profile",
  locked: "Cannot update user profile fields (firstName, lastName, dob, gender) for user with cases",
  phoneInUse: "Unable to use this phone number. Please use a different one",
} as const;

/** The page's example request body exactly as printed: the phoneNumber line has no comma (erratum E1). */
export const PAGE_CURL_BODY = `{
"action": "UPDATE_PROFILE",
"data": {
"email": "john.doe@example.com",
"firstName": "John",
"lastName": "Doe",
"dob": "1995-10-01",
"phoneNumber": "+11111111111"
"gender": "MALE",
"address": "123 ABC street",
"address2": "Apt 2",
"city": "NYC",
"state": "NY",
"country": "US",
"postalCode": "01010"
}
}`;

/** The same with the one comma added. */
export const PAGE_CURL_BODY_FIXED = PAGE_CURL_BODY.replace('"+11111111111"\n', '"+11111111111",\n');

export const LOCKED_FIELDS = { firstName: "New", lastName: "Name", dob: "2000-01-01", gender: "OTHER" } as const;

/** The page's "Success Response" body, character for character (it answers another request: erratum E3). */
export const PAGE_SUCCESS = {
  status: 200,
  success: true,
  message: "Profile updated successfully",
  data: {
    user: {
      email: "john.doe@carevalidate.com",
      firstName: "John",
      lastName: "Doe",
      dob: "1995-10-01T00:00:00.000Z",
      phoneNumber: "+15513446634",
      gender: "MALE",
      address: "123 ABC street",
      address2: "Apt 2",
      city: "NYC",
      state: "NY",
      country: "US",
      postalCode: "01010",
    },
  },
} as const;

/** Sentences of the page the fake's rules quote (src/fake/rules/registry.ts), copied character for character. */
export const PAGE_SENTENCES = [
  "Important Note: Users can freely update their profile information until a case has been assigned to a provider. Once a case is assigned, the following fields are locked: firstName, lastName, dob, and gender.",
  "If the new phoneNumber provided is already associated with a different user, the API will return this error.",
  '"message": "User {email} does not exist"',
  '"message": "User {email} does not exist in the organization"',
  '"message": "Not allowed to update the profile"',
] as const;
