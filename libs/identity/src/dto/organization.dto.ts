import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { normalizeAccountNo } from '../payout-account.util';
import { ORGANIZATION_ROLES, type OrganizationRole } from '../user.entity';
import { IsBankAccountNo, IsChineseMobile, IsStrongPassword } from './validators';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** `PUT /organization/payout-account`: the whole account, every field required. */
export class PayoutAccountDto {
  @ApiProperty({ description: '户名, 2-100 characters', example: '广南县八宝贡米农民专业合作社', minLength: 2, maxLength: 100 })
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  accountName: string;

  @ApiProperty({ description: '开户行, 2-100 characters', example: '中国农业银行广南县支行', minLength: 2, maxLength: 100 })
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  bankName: string;

  @ApiProperty({ description: '8-30 digits; spaces are ignored (stored and answered without them)', example: '6228 4801 2345 6789 012' })
  @Transform(({ value }) => (typeof value === 'string' ? normalizeAccountNo(value) : value))
  @IsBankAccountNo()
  accountNo: string;
}

/** A seller's payout account; every field is null until an admin sets it. */
export class PayoutAccountView {
  @ApiProperty({ nullable: true, type: String }) accountName: string | null;
  @ApiProperty({ nullable: true, type: String }) bankName: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'digits only' }) accountNo: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) updatedAt: string | null;
}

/** `POST /organization/members`: a new user of the caller's organisation. */
export class AddMemberDto {
  @ApiProperty({ example: '13912345678' })
  @IsChineseMobile()
  phone: string;

  @ApiProperty({ example: '李秀英' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  name: string;

  @ApiProperty({ description: '10-72 characters with letters and digits, not containing the phone number', example: 'Guangnan2020staff' })
  @IsStrongPassword()
  password: string;

  @ApiProperty({ enum: ORGANIZATION_ROLES, description: 'staff list, sell and ship; an admin also manages members and the payout account' })
  @IsIn(ORGANIZATION_ROLES)
  role: OrganizationRole;
}

export class MemberView {
  @ApiProperty() userId: string;
  @ApiProperty() phone: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ORGANIZATION_ROLES }) role: OrganizationRole;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastLoginAt: string | null;
}

/** Every member of the organisation, oldest first (an organisation has few; there is no second page). */
export class MemberPage {
  @ApiProperty({ type: [MemberView] }) items: MemberView[];
  @ApiProperty({ nullable: true, type: String, description: 'always null: one page holds every member' }) nextCursor: string | null;
}

/** `POST /me/password`. */
export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  oldPassword: string;

  @ApiProperty({ description: '10-72 characters with letters and digits, not containing the phone number', example: 'Guangnan2021rice' })
  @IsStrongPassword()
  newPassword: string;
}
