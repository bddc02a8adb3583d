import { Controller, Get, HttpCode, Param, ParseBoolPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, DomainError, type Principal } from '@chanxiao/core';
import { ListingImportService, ListingTemplateService, type ImportReport } from '@chanxiao/listings';

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
    return report;
  }

  /** An import's report, or a queued import's progress. */
  @Get(':importId')
  @ApiOkResponse({ description: 'the import report' })
  get(@CurrentPrincipal() principal: Principal, @Param('importId') importId: string): Promise<ImportReport> {
    return this.imports.get(principal, importId);
  }
}
