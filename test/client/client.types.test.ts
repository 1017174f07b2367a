// Type tests: `npm test` runs `tsc --noEmit` over this file, so every @ts-expect-error below must be a real
// type error, or the type check fails. The runtime part sends the typed call to a local fake fetch.
import { describe, expect, it } from "vitest";
import { createClient } from "../../src/index.js";

const client = createClient({
  baseUrl: "http://127.0.0.1:1",
  apiKey: "k",
  fetch: async (input) => {
    const request = input as Request;
    return new Response(
      JSON.stringify({
        status: 400,
        success: false,
        message: JSON.stringify({ key: request.headers.get("cv-api-key"), body: JSON.parse(await request.text()) }),
      }),
      {
        status: 400,
        headers: { "content-type": "application/json" },
      },
    );
  },
});

function misuses(): void {
  // @ts-expect-error email is required
  void client.updateUserProfile({ firstName: "Ana" });
  // @ts-expect-error gender is MALE | FEMALE | OTHER
  void client.updateUserProfile({ email: "a@b.test", gender: "male" });
  // @ts-expect-error firstName is a string
  void client.updateUserProfile({ email: "a@b.test", firstName: 42 });
  // @ts-expect-error unknown fields are not part of the contract
  void client.updateUserProfile({ email: "a@b.test", role: "ADMIN" });
  // @ts-expect-error only address2 is nullable
  void client.updateUserProfile({ email: "a@b.test", city: null });
}

describe("typed client", () => {
  it("sends the UPDATE_PROFILE envelope with the cv-api-key header", async () => {
    void misuses;
    const { data, error, response } = await client.updateUserProfile({ email: "a@b.test", address2: null });
    expect(data).toBeUndefined();
    expect(response.status).toBe(400);
    expect(JSON.parse(typeof error === "string" ? error : (error?.message ?? ""))).toEqual({
      key: "k",
      body: { action: "UPDATE_PROFILE", data: { email: "a@b.test", address2: null } },
    });
  });
});
