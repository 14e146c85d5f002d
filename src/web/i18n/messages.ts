import type { Lang } from './catalogue.js';
import { autodebit } from './autodebit.js';
import { claims } from './claims.js';
import { common } from './common.js';
import { heirs } from './heirs.js';
import { home } from './home.js';
import { jht } from './jht.js';
import { member } from './member.js';
import { pay } from './pay.js';
import { register } from './register.js';
import { staff } from './staff.js';
import { staffClaims } from './staff-claims.js';
import { staffAdmin, staffBranches, staffHolidays, staffOccupations, staffOffices } from './staff-admin.js';
import { staffContact } from './staff-contact.js';
import { staffCounter } from './staff-counter.js';
import { staffCounterRegister } from './staff-counter-register.js';
import { staffDashboards } from './staff-dashboards.js';
import { survey } from './survey.js';
import { wallet } from './wallet.js';
import { profile } from './profile.js';
import { funding } from './funding.js';
import { receiptCheck } from './receipt-check.js';
import { agentIncentives } from './agent-incentives.js';
import { sertakan } from './sertakan.js';
import { staffChannels } from './staff-channels.js';
import { money } from './money.js';
import { shell } from './shell.js';
import { info } from './info.js';
import { forms } from './forms.js';

/** All catalogues of one language, as pages use them: `m.common.navHome`. One catalogue per area of the portal. */
const ALL = {
  common,
  home,
  register,
  pay,
  member,
  wallet,
  autodebit,
  staff,
  jht,
  heirs,
  claims,
  staffClaims,
  staffCounter,
  staffDashboards,
  staffAdmin,
  staffHolidays,
  staffOffices,
  staffContact,
  profile,
  survey,
  staffCounterRegister,
  staffOccupations,
  staffBranches,
  funding,
  receiptCheck,
  agentIncentives,
  sertakan,
  staffChannels,
  money,
  shell,
  info,
  forms,
} as const;

export type Messages = { [K in keyof typeof ALL]: (typeof ALL)[K]['id'] };

const byLang: Record<Lang, Messages> = {
  id: Object.fromEntries(Object.entries(ALL).map(([k, v]) => [k, v.id])) as Messages,
  en: Object.fromEntries(Object.entries(ALL).map(([k, v]) => [k, v.en])) as Messages,
};

export function messagesFor(lang: Lang): Messages {
  return byLang[lang];
}

/** For tests: every catalogue with both halves. */
export const CATALOGUES = ALL;
