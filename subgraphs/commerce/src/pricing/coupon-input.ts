import { isUuid, type InputIssue } from '@academy/platform';
import type { CouponInput } from '../generated/resolvers-types';

const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{2,31}$/;

/** createCoupon's input, checked field by field with every problem at once. */
export function couponFromInput(input: CouponInput, now: Date): { issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  if (!CODE.test(input.code.trim())) issues.push({ field: 'code', message: 'must be 3 to 32 letters, digits, - or _' });
  const percent = input.percentOff ?? null;
  const amount = input.amountOffCents ?? null;
  if ((percent === null) === (amount === null))
    issues.push({ field: 'percentOff', message: 'give exactly one of percentOff and amountOffCents' });
  if (percent !== null && (!Number.isInteger(percent) || percent < 1 || percent > 100))
    issues.push({ field: 'percentOff', message: 'must be 1 to 100' });
  if (amount !== null && (!Number.isInteger(amount) || amount < 1 || amount > 100_000_000))
    issues.push({ field: 'amountOffCents', message: 'must be 1 to 100000000' });
  if (input.courseId && !isUuid(input.courseId)) issues.push({ field: 'courseId', message: 'is not a course id' });
  if (input.validUntil && new Date(input.validUntil as string | Date).getTime() <= now.getTime())
    issues.push({ field: 'validUntil', message: 'must be in the future' });
  if (
    input.maxRedemptions !== null &&
    input.maxRedemptions !== undefined &&
    (!Number.isInteger(input.maxRedemptions) || input.maxRedemptions < 1)
  )
    issues.push({ field: 'maxRedemptions', message: 'must be at least 1' });
  return { issues };
}
