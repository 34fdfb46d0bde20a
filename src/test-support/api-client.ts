import type { FastifyInstance, InjectOptions } from "fastify";

export interface ApiResponse {
  readonly status: number;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly text: string;
  readonly headers: Record<string, unknown>;
}

/** Calls the app as one signed-in user would, with a dev-mode token. */
export class ApiClient {
  readonly #app: FastifyInstance;
  readonly #token: string;

  private constructor(app: FastifyInstance, token: string) {
    this.#app = app;
    this.#token = token;
  }

  static async signIn(app: FastifyInstance, userId: string): Promise<ApiClient> {
    const response = await app.inject({ method: "POST", url: "/api/dev/token", payload: { user_id: userId } });
    if (response.statusCode !== 200) throw new Error(`dev token for ${userId}: ${response.statusCode} ${response.body}`);
    return new ApiClient(app, response.json().token);
  }

  /** A client with a token of the caller's own (e.g. a Clerk-style token signed by the test). */
  static withToken(app: FastifyInstance, token: string): ApiClient {
    return new ApiClient(app, token);
  }

  get token(): string {
    return this.#token;
  }

  get(path: string): Promise<ApiResponse> {
    return this.send({ method: "GET", url: path });
  }

  post(path: string, payload?: unknown): Promise<ApiResponse> {
    return this.send({ method: "POST", url: path, ...(payload === undefined ? {} : { payload: payload as object }) });
  }

  put(path: string, payload: unknown): Promise<ApiResponse> {
    return this.send({ method: "PUT", url: path, payload: payload as object });
  }

  delete(path: string): Promise<ApiResponse> {
    return this.send({ method: "DELETE", url: path });
  }

  async send(options: InjectOptions): Promise<ApiResponse> {
    const url = options.url?.toString().startsWith("/api/") ? options.url : `/api/onboarding${options.url}`;
    const response = await this.#app.inject({ ...options, url, headers: { authorization: `Bearer ${this.#token}`, ...options.headers } });
    return { status: response.statusCode, body: parseOrUndefined(response.body), text: response.body, headers: response.headers };
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
