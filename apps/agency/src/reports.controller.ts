import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '@chanxiao/core';
import { MonthlyReportQuery, MonthlyReportService } from '@chanxiao/reporting';

/** `GET /reports/monthly`: the stored report (generated on first request, by the job on the 1st, or on `refresh`). */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: MonthlyReportService) {}

  @Get('monthly')
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv', 'application/json')
  @ApiOkResponse({ description: 'the report file; X-Report-Generated-At tells when it was generated' })
  async monthly(@CurrentPrincipal() principal: Principal, @Query() query: MonthlyReportQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const report = await this.reports.get(principal, query);
    const ascii = `chanxiao-monthly-report-${report.regionCode}-${report.month}.${report.format}`;
    const utf8 = encodeURIComponent(`产销月报-${report.regionCode}-${report.month}.${report.format}`);
    reply.header('x-report-generated-at', report.generatedAt.toISOString());
    reply.header('x-report-source', report.source);
    reply.header('x-report-lines', String(report.lineCount));
    reply.header('last-modified', report.generatedAt.toUTCString());
    reply.header('cache-control', 'private, no-cache');
    return new StreamableFile(this.reports.open(report), {
      type: report.contentType,
      length: report.byteSize,
      disposition: `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`,
    });
  }
}
