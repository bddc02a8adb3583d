/**
 * Spreadsheet import throughput: rows/s for GBK CSV and XLSX, as drafts and published, through the real seller
 * app over HTTP (parse, validate every row with the API's rules, insert in chunks with outbox events).
 * Run: npm run bench -- listing-import
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { createHttpApp } from '@chanxiao/core';
import { SellerAppModule } from '../apps/seller/src/seller-app.module';
import { HttpClient } from '../test/support/apps';
import { makeCooperative } from '../test/support/factories';
import { IMPORT_HEADER, lotRows } from '../test/support/lot-rows';
import { createBenchEnv, report } from './support/bench-env';

const SIZES = [1000, 10000];

async function xlsx(lines: string[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('产品清单');
  for (const line of lines) sheet.addRow(line.split(','));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function main(): Promise<void> {
  const env = await createBenchEnv('import');
  const config = { ...env.config, IMPORT_SYNC_MAX_ROWS: 20000 } as typeof env.config;
  const app = await createHttpApp(SellerAppModule.forRoot(config), { name: 'seller', description: 'bench', config, docs: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const rows: Record<string, string | number>[] = [];
  try {
    const { accessToken } = await makeCooperative(new HttpClient(baseUrl), { organization: { regionCode: '513431' } });
    for (const size of SIZES) {
      const lines = [IMPORT_HEADER, ...lotRows(size, 25).rows];
      const files: [string, Buffer, string][] = [
        ['GBK CSV', iconv.encode(lines.join('\r\n'), 'gbk'), 'lots.csv'],
        ['XLSX', await xlsx(lines), 'lots.xlsx'],
      ];
      for (const [format, content, filename] of files) {
        for (const publish of [false, true]) {
          const form = new FormData();
          form.append('file', new Blob([new Uint8Array(content)]), filename);
          const started = process.hrtime.bigint();
          const response = await fetch(`${baseUrl}/api/v1/listings/import${publish ? '?publish=true' : ''}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${accessToken}` } });
          const body = (await response.json()) as { created: number; failed: number };
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          if (response.status !== 200) throw new Error(`import failed: ${response.status} ${JSON.stringify(body)}`);
          rows.push({ rows: size, format, mode: publish ? 'publish' : 'draft', bytes: content.length, created: body.created, failed: body.failed, seconds: Number(seconds.toFixed(3)), rowsPerSecond: Math.round(size / seconds) });
        }
      }
    }
  } finally {
    await app.close();
    await env.destroy();
  }
  report('listing-import', rows, { note: 'one request per file, synchronous import, 1 row in 25 invalid' });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
