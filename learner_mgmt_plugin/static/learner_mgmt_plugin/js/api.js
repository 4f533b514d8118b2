// The page's client of REST API v1: JSON in and out, session authentication with the CSRF token the
// page was rendered with, errors as ApiError carrying the server's message.

const POLL_INTERVAL_MS = 1000;

export class ApiError extends Error {
  constructor(message, status, body = {}) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export function createClient(config) {
  const strings = config.strings;

  function url(path, query) {
    const target = new URL(path, new URL(config.apiBase, window.location.href));
    for (const [name, value] of Object.entries(query || {})) {
      if (value !== undefined && value !== null && value !== "") target.searchParams.set(name, value);
    }
    return target.toString();
  }

  async function request(method, path, { json, form, query } = {}) {
    const headers = { Accept: "application/json" };
    let body;
    if (method !== "GET") headers["X-CSRFToken"] = config.csrfToken;
    if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(json);
    } else if (form !== undefined) body = form;
    let response;
    try {
      response = await fetch(url(path, query), { method, headers, body, credentials: "same-origin" });
    } catch (error) {
      throw new ApiError(strings.networkError, 0);
    }
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) {
      throw new ApiError((data && data.message) || strings.unexpectedError, response.status, data || {});
    }
    return { status: response.status, data };
  }

  /** Follow a background job at `statusUrl` until it ends; `onProgress(job)` sees each poll. */
  async function follow(statusUrl, onProgress) {
    for (;;) {
      const { data } = await request("GET", statusUrl);
      onProgress(data);
      if (data.state === "succeeded") return data;
      if (data.state === "failed") throw new ApiError(data.error || strings.jobFailed, 200, data);
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }

  return {
    url,
    follow,
    get: (path, query) => request("GET", path, { query }).then((response) => response.data),
    post: (path, json) => request("POST", path, { json: json || {} }),
    upload: (path, form) => request("POST", path, { form }),
    patch: (path, json) => request("PATCH", path, { json }).then((response) => response.data),
    delete: (path, json) => request("DELETE", path, { json }),
  };
}
