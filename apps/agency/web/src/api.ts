/** The agency API, same origin. The access token lives in sessionStorage (gone when the tab closes). */
const TOKEN = 'chanxiao.agency.token';

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN);
  },
  set token(value: string | null) {
    if (value) sessionStorage.setItem(TOKEN, value);
    else sessionStorage.removeItem(TOKEN);
  },
};

async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (session.token) headers.set('authorization', `Bearer ${session.token}`);
  if (init.body) headers.set('content-type', 'application/json');
  const response = await fetch(`/api/v1${path}`, { ...init, headers });
  if (!response.ok) {
    let message = `请求失败（${response.status}）`;
    try {
      message = (await response.json()).message ?? message;
    } catch {
      // not JSON
    }
    throw new ApiError(response.status, message);
  }
  return response;
}

export async function getJson<T>(path: string): Promise<T> {
  return (await request(path)).json() as Promise<T>;
}

export async function login(phone: string, password: string): Promise<void> {
  const response = await request('/auth/login', { method: 'POST', body: JSON.stringify({ phone, password }) });
  session.token = ((await response.json()) as { accessToken: string }).accessToken;
}

/** Downloads a file through the API (the token must go in a header, so no plain link). */
export async function download(path: string, fallbackName: string): Promise<{ name: string; generatedAt: string | null }> {
  const response = await request(path);
  const disposition = response.headers.get('content-disposition') ?? '';
  const utf8 = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  const name = utf8 ? decodeURIComponent(utf8[1]) : fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { name, generatedAt: response.headers.get('x-report-generated-at') };
}
