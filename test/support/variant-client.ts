// Plain HTTP to a variant deployment, the way any client of the vendor's API would send it.
import type { VariantDeployment } from "./variants/index.js";

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when the text is JSON, else undefined. */
  body: any;
}

export interface CallOptions {
  method?: string;
  path?: string;
  /** The cv-api-key header: the main key by default; null sends none. */
  key?: string | null;
  /** null sends no Content-Type (the body goes as bytes). */
  contentType?: string | null;
  headers?: Record<string, string>;
  /** A string or bytes go as they are; anything else as JSON. */
  body?: unknown;
}

/** One request; a 429 is retried once at once (a deployment never sends two in a row). */
export async function call(d: Pick<VariantDeployment, "url" | "apiKey">, o: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...o.headers };
  const key = o.key === undefined ? d.apiKey : o.key;
  if (key !== null) headers["cv-api-key"] = key;
  const method = o.method ?? "POST";
  let body: string | Uint8Array | undefined;
  if (o.body !== undefined && method !== "GET" && method !== "HEAD")
    body = typeof o.body === "string" || o.body instanceof Uint8Array ? o.body : JSON.stringify(o.body);
  if (o.contentType === null) {
    if (typeof body === "string") body = new TextEncoder().encode(body);
  } else if (body !== undefined) {
    headers["content-type"] = o.contentType ?? "application/json";
  }
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${d.url}${o.path ?? "/api/v1/users"}`, { method, headers, body });
    const text = await response.text();
    if (response.status === 429 && attempt === 0) continue;
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  }
}

/** POST {action: "UPDATE_PROFILE", data}. */
export const updateProfile = (d: Pick<VariantDeployment, "url" | "apiKey">, data: Record<string, unknown>, o: CallOptions = {}) =>
  call(d, { ...o, body: { action: "UPDATE_PROFILE", data } });

export const isJsonLabel = (reply: Reply): boolean => /^application\/json(\s*;|$)/i.test(reply.headers.get("content-type") ?? "");
