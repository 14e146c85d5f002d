import type { Deps } from '../../deps.js';
import { discountRuleFor, type Quote } from '../../modules/contributions/index.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatMonth } from '../i18n/format.js';
import type { Messages } from '../i18n/messages.js';

/** The PP 50/2025 note under a quote: until when the discount of the first month runs, or that none applies. */
export function DiscountNote(props: { m: Messages; lang: Lang; deps: Deps; quote: Quote; sector: 'transport' | 'other' }) {
  const first = props.quote.months[0];
  if (!first) {
    return null;
  }
  const rule = discountRuleFor('JKK', first.month, props.sector, 'self', props.deps.rules);
  return (
    <p class="hint">
      {rule ? fill(props.m.home.discountNote, { until: rule.validTo ? formatMonth(rule.validTo, props.lang) : '—' }) : props.m.home.noDiscountNote}
    </p>
  );
}
