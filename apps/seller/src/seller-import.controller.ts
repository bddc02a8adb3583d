import { Controller, Get, HttpCode, Param, ParseBoolPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiProduces, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, DomainError, localizeFieldMessage, negotiateLanguage, type Principal } from '@chanxiao/core';
import { type ImportReport, type ImportRowResult, type ImportStatus, ListingImportService, ListingTemplateService } from '@chanxiao/listings';

class ImportCellError {
  @ApiProperty({ example: 'unitPriceFen' }) field: string;
  @ApiProperty({ example: '单价(元/公斤)', description: 'the spreadsheet column' }) column: string;
  @ApiProperty() message: string;
}

class ImportRowView implements ImportRowResult {
  @ApiProperty({ description: 'as Excel/WPS shows it: the header is row 1, the first data row 2' }) row: number;
  @ApiProperty({ enum: ['created', 'error'] }) status: 'created' | 'error';
  @ApiPropertyOptional() listingId?: string;
  @ApiProperty({ type: [ImportCellError] }) errors: ImportCellError[];
}

class ImportReportView implements ImportReport {
  @ApiProperty() importId: string;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] }) status: ImportStatus;
  @ApiProperty() publish: boolean;
  @ApiProperty() totalRows: number;
  @ApiProperty() processedRows: number;
  @ApiProperty() created: number;
  @ApiProperty() failed: number;
  @ApiProperty({ type: [ImportRowView] }) rows: ImportRowView[];
}

@ApiTags('listings import')
@ApiBearerAuth()
@Controller('listings/import')
export class SellerImportController {
  constructor(
    private readonly imports: ListingImportService,
    private readonly templates: ListingTemplateService,
  ) {}

  /** The XLSX template: Chinese headers, a sheet of category codes, drop-downs and instructions. */
  @Get('template')
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async template(@Res() reply: FastifyReply): Promise<void> {
    const file = await this.templates.build();
    reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="chanxiao-listings-template.xlsx"; filename*=UTF-8''${encodeURIComponent('产销通-产品导入模板.xlsx')}`)
      .send(file);
  }

  /**
   * Imports lots from a CSV (UTF-8 or GBK) or XLSX file in the multipart field `file`. Answers the per-row report;
   * files over the synchronous limit answer 202 with `status: queued`: poll `GET /listings/import/:importId`.
   */
  @Post()
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiQuery({ name: 'publish', required: false, type: Boolean, description: 'publish valid rows at once instead of creating drafts' })
  @ApiOkResponse({ type: ImportReportView, description: 'the per-row report (202 with `status: queued` for a large file)' })
  async import(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('publish', new ParseBoolPipe({ optional: true })) publish?: boolean,
  ): Promise<ImportReport> {
    if (!request.isMultipart()) throw DomainError.validation('import.not_multipart', [{ field: 'file', message: 'send the file as multipart/form-data in the field "file"' }]);
    const part = await request.file();
    if (!part || part.fieldname !== 'file') throw DomainError.validation('import.no_file', [{ field: 'file', message: 'is required (multipart field "file")' }]);
    const report = await this.imports.importFile(principal, await part.toBuffer(), part.filename, publish ?? false);
    if (report.status === 'queued') reply.status(202);
    return inLanguageOf(request, report);
  }

  /** An import's report, or a queued import's progress. */
  @Get(':importId')
  @ApiOkResponse({ type: ImportReportView })
  async get(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest, @Param('importId') importId: string): Promise<ImportReport> {
    return inLanguageOf(request, await this.imports.get(principal, importId));
  }
}

/** The report with each row problem's message in the request's language (stored in English, the source text). */
function inLanguageOf(request: FastifyRequest, report: ImportReport): ImportReport {
  const language = negotiateLanguage(request.headers['accept-language']);
  if (language === 'en') return report;
  const rows = report.rows.map((row) => ({ ...row, errors: row.errors.map((e) => ({ ...e, message: localizeFieldMessage(e.message, language) })) }));
  return { ...report, rows };
}
