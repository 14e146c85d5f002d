import { TitledSection } from '../../components/section.js';
import type { Messages } from '../../i18n/messages.js';

/** On the account page: the way to the JHT balance (/akun/jht) and to the heirs (/akun/ahli-waris). */
export function SavingsSection({ m }: { m: Messages }) {
  return (
    <TitledSection id="tabungan" title={m.jht.sectionTitle}>
      <p>{m.jht.sectionIntro}</p>
      <p class="actions">
        <a class="btn btn-secondary" href="/akun/jht">
          {m.jht.jhtLink}
        </a>
        <a class="btn btn-secondary" href="/akun/ahli-waris">
          {m.jht.heirsLink}
        </a>
      </p>
    </TitledSection>
  );
}

/** On the account page: the way to the member's own data changes (/akun/profil). */
export function ProfileSection({ m }: { m: Messages }) {
  return (
    <TitledSection id="data-saya" title={m.profile.title}>
      <p>{m.profile.intro}</p>
      <p class="actions">
        <a class="btn btn-secondary" href="/akun/profil">
          {m.profile.accountLink}
        </a>
      </p>
    </TitledSection>
  );
}

/** Sertakan: the way to the sponsor's page (and, for a sponsored worker, the take-over button there). */
export function SertakanSection({ m }: { m: Messages }) {
  return (
    <TitledSection id="sertakan" title={m.sertakan.title}>
      <p>{m.sertakan.accountIntro}</p>
      <p>
        <a class="btn btn-secondary" href="/akun/sertakan">
          {m.sertakan.accountLink}
        </a>
      </p>
    </TitledSection>
  );
}
