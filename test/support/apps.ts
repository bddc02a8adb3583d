import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DynamicModule } from '@nestjs/common';
import { type AppConfig, createHttpApp } from '@chanxiao/core';
import { AgencyAppModule } from '../../apps/agency/src/agency-app.module';
import { BuyerAppModule } from '../../apps/buyer/src/buyer-app.module';
import { MatcherAppModule } from '../../apps/matcher/src/matcher-app.module';
import { SellerAppModule } from '../../apps/seller/src/seller-app.module';
import type { TestEnv } from './test-env';

export type AppName = 'seller' | 'buyer' | 'agency' | 'matcher';

const MODULES = {
  seller: SellerAppModule,
  buyer: BuyerAppModule,
  agency: AgencyAppModule,
  matcher: MatcherAppModule,
};

export interface RunningApp {
  app: NestFastifyApplication;
  baseUrl: string;
  http: HttpClient;
  close(): Promise<void>;
}

/** Boots an app exactly as `main.ts` does, on a free port of 127.0.0.1, against the test file's own services. */
export async function startApp(name: AppName, env: TestEnv, config = env.config): Promise<RunningApp> {
  return startModule(MODULES[name].forRoot(config), name, config);
}

/** Boots a module of the test's choosing (a slice of an app) the way {@link startApp} boots an app. */
export async function startModule(module: DynamicModule, name: string, config: AppConfig): Promise<RunningApp> {
  const app = await createHttpApp(module, { name, description: name, config, docs: name !== 'matcher' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return { app, baseUrl, http: new HttpClient(baseUrl), close: () => app.close() };
}

export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A small fetch wrapper: JSON in, JSON (or text) out, optional bearer token; asks for English unless told otherwise. */
export class HttpClient {
  constructor(readonly baseUrl: string) {}

  request<T = any>(method: string, path: string, options: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {}): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    // Tests assert the English source messages; a test of the Chinese answers sets its own Accept-Language.
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'accept-language')) headers['accept-language'] = 'en';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    return fetch(this.baseUrl + path, { method, headers, body }).then(async (response) => {
      const text = await response.text();
      let parsed: unknown = text;
      if (response.headers.get('content-type')?.includes('json') && text) parsed = JSON.parse(text);
      return { status: response.status, headers: response.headers, body: parsed as T, text };
    });
  }

  get<T = any>(path: string, token?: string) {
    return this.request<T>('GET', path, { token });
  }

  post<T = any>(path: string, body?: unknown, token?: string, headers?: Record<string, string>) {
    return this.request<T>('POST', path, { body, token, headers });
  }
}
