import { MANDATORY_PROGRAMS, PROGRAMS, type Program } from '../../modules/contributions/index.js';
import type { Occupation } from '../../modules/reference/index.js';
import { ChoiceGroup, SelectField, TextField } from '../components/form.js';
import type { Lang } from '../i18n/catalogue.js';
import { fill } from '../i18n/catalogue.js';
import type { Messages } from '../i18n/messages.js';

export const MONTH_CHOICES = [1, 3, 6, 12] as const;

export interface ContributionChoice {
  incomeText: string;
  programs: Program[];
  months: number;
  occupationCode: string;
}

/** Programs from a form: the mandatory ones always, JHT when ticked (a disabled checkbox is never sent). */
export function programsFromForm(sent: unknown): Program[] {
  const values = Array.isArray(sent) ? sent : [sent];
  return PROGRAMS.filter((p) => MANDATORY_PROGRAMS.includes(p) || values.includes(p));
}

export function monthsFromForm(raw: unknown): number {
  const n = Number(raw);
  return (MONTH_CHOICES as readonly number[]).includes(n) ? n : 1;
}

/** The active occupations (the reference module's occupationDirectory) as a select's options, by label. */
export function occupationOptions(occupations: readonly Occupation[], lang: Lang) {
  return [...occupations]
    .map((o) => ({ value: o.code, label: lang === 'id' ? o.name : o.nameEn }))
    .sort((a, b) => a.label.localeCompare(b.label, lang));
}

/** The program checkboxes and month choice shared by the simulator and the registration's last step. */
export function ProgramAndMonthFields(props: { m: Messages; choice: ContributionChoice; errors: Partial<Record<'programs' | 'months', string>> }) {
  const { m, choice } = props;
  const label = (p: Program) => m.common[`program${p}`];
  return (
    <>
      <ChoiceGroup
        name="programs"
        legend={m.home.programs}
        type="checkbox"
        hint={m.home.programsHint}
        error={props.errors.programs}
        choices={PROGRAMS.map((p) =>
          MANDATORY_PROGRAMS.includes(p)
            ? { value: p, label: `${label(p)} — ${m.common.required}`, checked: true, disabled: true }
            : { value: p, label: `${label(p)} — ${m.common.optional}`, checked: choice.programs.includes(p) },
        )}
      />
      <ChoiceGroup
        name="months"
        legend={m.home.monthsLegend}
        type="radio"
        inline
        error={props.errors.months}
        choices={MONTH_CHOICES.map((n) => ({ value: String(n), label: n === 1 ? m.common.month1 : fill(m.common.months, { n }), checked: choice.months === n }))}
      />
    </>
  );
}

export function SimulatorForm(props: { m: Messages; lang: Lang; choice: ContributionChoice; errors: Partial<Record<string, string>>; occupations: readonly Occupation[] }) {
  const { m, choice } = props;
  return (
    <form method="get" action="/simulasi" class="card">
      <TextField
        name="income"
        label={m.home.income}
        hint={m.home.incomeHint}
        value={choice.incomeText}
        error={props.errors['income']}
        inputmode="numeric"
        autocomplete="off"
        maxlength={20}
      />
      <SelectField
        name="occupation"
        label={m.home.occupation}
        hint={m.home.occupationHint}
        placeholder={m.home.occupationAny}
        options={occupationOptions(props.occupations, props.lang)}
        value={choice.occupationCode}
      />
      <ProgramAndMonthFields m={m} choice={choice} errors={{}} />
      <button type="submit">{m.home.calculate}</button>
    </form>
  );
}
