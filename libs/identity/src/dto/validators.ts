import type { ValidationOptions } from 'class-validator';
import { fieldValidator as decorator } from '@chanxiao/core';
import { CHINESE_MOBILE, passwordProblem } from '../credentials.util';
import { accountNoProblem } from '../payout-account.util';
import { USCC_MESSAGES, usccProblem } from '../uscc.util';

/** A valid 统一社会信用代码 (GB 32100-2015). */
export const IsUscc = (options?: ValidationOptions) =>
  decorator('isUscc', (v) => (typeof v !== 'string' ? 'must be a string' : (p => (p ? USCC_MESSAGES[p] : null))(usccProblem(v))), options);

/** A mainland China mobile number, 11 digits. */
export const IsChineseMobile = (options?: ValidationOptions) =>
  decorator('isChineseMobile', (v) => (typeof v === 'string' && CHINESE_MOBILE.test(v) ? null : 'must be an 11-digit mainland mobile number'), options);

/** A password strong enough for {@link passwordProblem}; checks against the sibling `phone` property. */
export const IsStrongPassword = (options?: ValidationOptions) =>
  decorator(
    'isStrongPassword',
    (v, args) => (typeof v !== 'string' ? 'must be a string' : passwordProblem(v, (args.object as { phone?: string }).phone)),
    options,
  );

/** A bank account number: 8–30 digits, spaces allowed (see {@link accountNoProblem}). */
export const IsBankAccountNo = (options?: ValidationOptions) => decorator('isBankAccountNo', (v) => accountNoProblem(v), options);

/** A six-digit GB/T 2260 code shape; whether it exists is checked against the regions table by the service. */
export const REGION_CODE = /^\d{6}$/;
