/**
 * The API client every web app uses: openapi-fetch over the app's own generated OpenAPI types, with the
 * session's token and the chosen language on every request. A network failure or a 503 never surfaces as a
 * blank page: the request waits, the retry banner shows ({@link connection}), and it is sent again when the
 * person taps 重试 or the device comes back online.
 */
import createClient from 'openapi-fetch';
import { reactive } from 'vue';

export interface FieldProblem {
  field: string;
  message: string;
}

/** An error answer of the API (`{ statusCode, error, message, code, details }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
  }

  static from(status: number, body: unknown): ApiError {
    const b = (body ?? {}) as { message?: unknown; code?: unknown; details?: unknown };
    const details = Array.isArray(b.details) ? (b.details as FieldProblem[]) : [];
    return new ApiError(status, typeof b.message === 'string' ? b.message : `HTTP ${status}`, typeof b.code === 'string' ? b.code : undefined, details);
  }
}

/** Whether the API is reachable right now; the retry banner shows while `down`. */
export const connection = reactive({ down: false, reason: '' as '' | 'offline' | 'unavailable' });
let waiting: Array<() => void> = [];

/** Sends every request that is waiting for the connection again. */
export function retryNow(): void {
  connection.down = false;
  connection.reason = '';
  const resume = waiting;
  waiting = [];
  resume.forEach((go) => go());
}

if (typeof window !== 'undefined') window.addEventListener('online', retryNow);

function waitForRetry(reason: 'offline' | 'unavailable'): Promise<void> {
  connection.down = true;
  connection.reason = reason;
  return new Promise((resolve) => waiting.push(resolve));
}

async function resilientFetch(request: Request): Promise<Response> {
  for (;;) {
    try {
      const response = await fetch(request.clone());
      if (response.status !== 503) return response;
      await waitForRetry('unavailable');
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      await waitForRetry('offline');
    }
  }
}

/** Where an app keeps its access token: localStorage, so a reload on a weak signal does not log the person out. */
export function createSession(app: string) {
  const key = `chanxiao.${app}.token`;
  const state = reactive({ token: localStorage.getItem(key) });
  return {
    state,
    get token(): string | null {
      return state.token;
    },
    set token(value: string | null) {
      state.token = value;
      if (value) localStorage.setItem(key, value);
      else localStorage.removeItem(key);
    },
  };
}
export type Session = ReturnType<typeof createSession>;

export interface ApiOptions {
  session: Session;
  /** The language the person chose (`zh-CN` or `en`), sent as Accept-Language so messages come back in it. */
  locale: () => string;
  /** Called when the API answers 401 to a request that carried a token (expired, revoked, password changed). */
  onUnauthorized: () => void;
}

/** A typed client for one app's API (`Paths` generated from its OpenAPI document). */
export function createApi<Paths extends {}>(options: ApiOptions) {
  const client = createClient<Paths>({ baseUrl: '', fetch: resilientFetch });
  client.use({
    onRequest({ request }) {
      if (options.session.token) request.headers.set('authorization', `Bearer ${options.session.token}`);
      request.headers.set('accept-language', options.locale());
      return request;
    },
    onResponse({ request, response }) {
      if (response.status === 401 && request.headers.has('authorization')) options.onUnauthorized();
      return response;
    },
  });
  return client;
}

/** The data of a successful answer, or an {@link ApiError}: `const lot = await ok(api.GET('/api/v1/listings/{id}', …))`. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<NonNullable<T>> {
  const { data, error, response } = await call;
  if (!response.ok) throw ApiError.from(response.status, error);
  return data as NonNullable<T>;
}

/** Sends a multipart body (a file upload) through openapi-fetch unchanged. */
export const asFormData = { bodySerializer: (body: unknown) => body as FormData };
