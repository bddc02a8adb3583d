import { Controller, Delete, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiConflictResponse, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse,
  ApiPayloadTooLargeResponse, ApiTags, ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AppConfig, CurrentPrincipal, DomainError, type Principal } from '@chanxiao/core';
import { ListingPhotosService, ListingPhotoView, MAX_PHOTOS_PER_LISTING } from '@chanxiao/listings';

@ApiTags('listings')
@ApiBearerAuth()
@Controller('listings/:id/photos')
export class SellerListingPhotosController {
  constructor(
    private readonly photos: ListingPhotosService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Adds a photo to one of the organisation's draft or active lots (any member may): a JPEG, PNG or WebP in the
   * multipart field `file`, stored upright, without its EXIF (GPS) metadata, fitted into 1280 px plus a 320 px
   * thumbnail, after the lot's other photos.
   */
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary', description: 'JPEG, PNG or WebP, at most 40 megapixels' } }, required: ['file'] } })
  @ApiCreatedResponse({ type: ListingPhotoView })
  @ApiBadRequestResponse({ description: '`photo.no_file`, `photo.too_many_pixels` (over 40 megapixels), `photo.unreadable` (damaged file); details name `file`' })
  @ApiNotFoundResponse({ description: 'no such lot of this organisation' })
  @ApiConflictResponse({ description: `\`photo.limit_reached\` (the lot has ${MAX_PHOTOS_PER_LISTING} photos), \`photo.listing_closed\`` })
  @ApiPayloadTooLargeResponse({ description: '`photo.too_large`: the file is over IMPORT_MAX_BYTES (10 MiB)' })
  @ApiUnsupportedMediaTypeResponse({ description: '`photo.not_an_image`, `photo.unsupported_type` (GIF, SVG, …), judged by the bytes' })
  async add(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Req() request: FastifyRequest): Promise<ListingPhotoView> {
    return this.photos.add(principal, id, await this.readFile(request));
  }

  /** Deletes a photo of one of the organisation's draft or active lots; the others keep their order. */
  @Delete(':photoId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted, row and images' })
  @ApiNotFoundResponse({ description: 'no such lot of this organisation, or no such photo of it' })
  @ApiConflictResponse({ description: '`photo.listing_closed`' })
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Param('photoId') photoId: string): Promise<void> {
    await this.photos.remove(principal, id, photoId);
  }

  /** The bytes of the multipart field `file`; 400 without one, 413 past the upload limit, each naming `file`. */
  private async readFile(request: FastifyRequest): Promise<Buffer> {
    const missing = () => DomainError.validation('photo.no_file', [{ field: 'file', message: 'is required: send the photo as multipart/form-data in the field "file"' }]);
    if (!request.isMultipart()) throw missing();
    const part = await request.file();
    if (!part || part.fieldname !== 'file') throw missing();
    const tooLarge = () => new DomainError('payload_too_large', 'photo.too_large', `file is larger than ${mebibytes(this.config.IMPORT_MAX_BYTES)}`, [
      { field: 'file', message: `is larger than ${mebibytes(this.config.IMPORT_MAX_BYTES)}` },
    ]);
    let bytes: Buffer;
    try {
      bytes = await part.toBuffer();
    } catch (error) {
      // @fastify/multipart stops reading at the limit (its `limits.fileSize`) and throws FST_REQ_FILE_TOO_LARGE.
      if ((error as { code?: unknown }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
      throw error;
    }
    if (part.file.truncated) throw tooLarge();
    if (bytes.length === 0) throw DomainError.validation('photo.no_file', [{ field: 'file', message: 'is empty' }]);
    return bytes;
  }
}

function mebibytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}
