import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type ClassConstructor as ClassType, Transform, Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { BUYER_TYPES, type BuyerType } from '../organization.entity';
import { IsChineseMobile, IsStrongPassword, IsUscc, REGION_CODE } from './validators';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

export class OrganizationInputDto {
  @ApiProperty({ example: '云南省文山州广南县八宝米农民专业合作社' })
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  name: string;

  @ApiProperty({ description: '统一社会信用代码 (18 characters, GB 32100-2015)', example: '93532627MA6N3XYZ1Q' })
  @Transform(upper)
  @IsUscc()
  creditCode: string;

  @ApiProperty({ description: 'GB/T 2260 code; a seller must give a county', example: '532627' })
  @IsString()
  @Matches(REGION_CODE, { message: 'must be a six-digit GB/T 2260 region code' })
  regionCode: string;

  @ApiProperty({ example: '13812345678' })
  @IsChineseMobile()
  contactPhone: string;
}

export class SellerOrganizationDto extends OrganizationInputDto {
  @ApiProperty({ description: 'Registered poverty households (建档立卡贫困户) the seller works with', example: 120 })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  povertyHouseholds: number;
}

export class BuyerOrganizationDto extends OrganizationInputDto {
  @ApiProperty({ enum: BUYER_TYPES })
  @IsIn(BUYER_TYPES)
  buyerType: BuyerType;
}

export class UserInputDto {
  @ApiProperty({ example: '13812345678' })
  @IsChineseMobile()
  phone: string;

  @ApiProperty({ description: '10-72 characters with letters and digits', example: 'Guangnan2020rice' })
  @IsStrongPassword()
  password: string;

  @ApiProperty({ example: '王建国' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  name: string;
}

/** A registration body: the organisation (of the app's kind) and its first user. */
function registrationDto<O extends OrganizationInputDto>(organization: ClassType<O>) {
  class Registration {
    @ApiProperty({ type: organization })
    @IsDefined()
    @IsObject()
    @ValidateNested()
    @Type(() => organization)
    organization: O;

    @ApiProperty({ type: UserInputDto })
    @IsDefined()
    @IsObject()
    @ValidateNested()
    @Type(() => UserInputDto)
    user: UserInputDto;
  }
  return Registration;
}

export class RegisterSellerDto extends registrationDto(SellerOrganizationDto) {}
export class RegisterBuyerDto extends registrationDto(BuyerOrganizationDto) {}

export class LoginDto {
  @ApiProperty({ example: '13812345678' })
  @IsChineseMobile()
  phone: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class OrganizationView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) creditCode: string | null;
  @ApiProperty() regionCode: string;
  @ApiProperty() regionName: string;
  @ApiProperty({ enum: ['seller', 'buyer', 'agency'] }) kind: string;
  @ApiPropertyOptional({ enum: BUYER_TYPES }) buyerType?: BuyerType;
  @ApiPropertyOptional() povertyHouseholds?: number;
  @ApiProperty() contactPhone: string;
  @ApiProperty() isPovertyCounty: boolean;
  @ApiProperty() isSupervisedCounty: boolean;
}

export class UserView {
  @ApiProperty() id: string;
  @ApiProperty() phone: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['admin', 'staff', 'agency_staff'], description: 'admin or staff of a seller or buyer; agency_staff in the agency app' }) role: string;
  @ApiProperty({ nullable: true, type: String }) regionCode: string | null;
}

export class MeView {
  @ApiProperty({ type: UserView }) user: UserView;
  @ApiProperty({ type: OrganizationView }) organization: OrganizationView;
}

export class TokenView {
  @ApiProperty() accessToken: string;
  @ApiProperty({ description: 'seconds until the token expires' }) expiresIn: number;
}

export class RegisteredView extends MeView {
  @ApiProperty() accessToken: string;
  @ApiProperty() expiresIn: number;
}
