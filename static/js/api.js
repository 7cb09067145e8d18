/**
 * Talking to the JSON API: session cookie + CSRF header, JSON in and out, and errors turned
 * into one ApiError type that says whether retrying can help.
 *
 * Retryable: no answer at all (network down, server stopped, timeout), 5xx, 408, 429, and an
 * expired session or CSRF token (401, 400 "csrf_failed"): those heal when the server is back
 * or the user signs in again, so the outbox keeps the change. Everything else (422 invalid,
 * 403, 404, 409 stale version or read-only) is a refusal a retry cannot change.
 */

const TIMEOUT_MS = 15000;

export class ApiError extends Error {
  /**
   * @param {string} message
   * @param {{status?: number, error?: string, field?: string|null, network?: boolean}} details
   */
  constructor(message, { status = 0, error = "network_error", field = null, network = false } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.error = error;
    this.field = field;
    this.network = network;
  }

  /** The server may or may not have acted on the request (no answer came back). */
  get outcomeUnknown() {
    return this.network || this.status >= 500;
  }

  /** An expired session or CSRF token: retry after the user signs in again. */
  get needsSignIn() {
    return this.status === 401 || this.error === "csrf_failed";
  }

  get retryable() {
    return this.network || this.status >= 500 || this.status === 408 || this.status === 429 ||
      this.needsSignIn;
  }
}

function readCsrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

export class Api {
  constructor({ base = "/api/v1", csrfToken = readCsrfToken() } = {}) {
    this.base = base;
    this.csrfToken = csrfToken;
  }

  /**
   * @param {string} method
   * @param {string} path below /api/v1
   * @param {object} [body] sent as JSON
   */
  async request(method, path, body) {
    const headers = { Accept: "application/json" };
    if (method !== "GET") headers["X-CSRFToken"] = this.csrfToken;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return Api.read(
      fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
        cache: "no-store",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      }),
    );
  }

  /**
   * The JSON of a response (a fetch() promise), or an ApiError.
   * @param {Promise<Response>} pending
   */
  static async read(pending) {
    let response;
    try {
      response = await pending;
    } catch {
      throw new ApiError("The server could not be reached.", { network: true });
    }
    let payload = null;
    const type = response.headers.get("Content-Type") || "";
    if (type.includes("json")) {
      try {
        payload = await response.json();
      } catch {
        payload = null;
      }
    }
    if (!response.ok) {
      throw new ApiError(payload?.message || `The server answered ${response.status}.`, {
        status: response.status,
        error: payload?.error || "http_error",
        field: payload?.field ?? null,
      });
    }
    if (payload === null) {
      // e.g. a proxy's HTML error page with status 200, or a login page after a redirect
      throw new ApiError("The server's answer was not JSON.", { status: 502, error: "bad_response" });
    }
    return payload;
  }

  get(path) {
    return this.request("GET", path);
  }

  /**
   * GET a URL the page preloads (`<link rel="preload" as="fetch" crossorigin>`): a plain
   * same-origin CORS request with the default cache mode, which is what lets the browser
   * hand over the preloaded response.
   */
  getPreloaded(url) {
    return Api.read(fetch(url, { credentials: "same-origin" }));
  }


  post(path, body) {
    return this.request("POST", path, body);
  }

  put(path, body) {
    return this.request("PUT", path, body);
  }

  patch(path, body) {
    return this.request("PATCH", path, body);
  }

  delete(path) {
    return this.request("DELETE", path);
  }

  /**
   * After the session or CSRF token expired and the user signed in again (in another tab):
   * read a fresh token from a page of ours. Returns false while still signed out.
   */
  async refreshCsrfToken(pageUrl = window.location.href) {
    try {
      const response = await fetch(pageUrl, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok || new URL(response.url).pathname.startsWith("/login")) return false;
      const html = await response.text();
      const match = html.match(/<meta name="csrf-token" content="([^"]+)"/);
      if (!match) return false;
      this.csrfToken = match[1];
      return true;
    } catch {
      return false;
    }
  }
}
