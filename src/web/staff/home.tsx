import { STAFF_ROLES } from '../../modules/staff/index.js';
import { fill } from '../i18n/catalogue.js';
import { messagesFor } from '../i18n/messages.js';
import { holidayWarning } from './admin-holidays.js';
import type { StaffConsolePage } from './kit.js';
import { CONSOLE_SECTIONS, visibleSections } from './sections.js';

/**
 * /staff, "Beranda": the landing page of every role — a card per section the staff member's roles see (claims roles:
 * the claims queue; finance: payouts; admin: the JHT rates; …), from the one section table.
 */
export const homeRoutes: StaffConsolePage = {
    mount(app, kit) {
      app.get(
        '/staff',
        kit.requireStaffPage(STAFF_ROLES, async (c, staff) => {
          const t = messagesFor(c.get('lang')).staff;
          const sections = visibleSections(kit.mounted, staff.roles);
          return kit.render(c, {
            title: t.homeTitle,
            staff,
            current: 'home',
            flash: kit.takeFlash(c),
            body: (
              <>
                <h1>{t.homeTitle}</h1>
                <p>{fill(t.homeWelcome, { username: staff.username })}</p>
                {await holidayWarning(kit, staff, c.get('lang'))}
                <section aria-labelledby="pekerjaan">
                  <h2 id="pekerjaan">{t.homeSections}</h2>
                  {sections.length === 0 ? (
                    <p>{t.homeNothing}</p>
                  ) : (
                    <ul class="staff-grid" role="list">
                      {sections.map((key) => (
                        <li class="card">
                          <h3>
                            <a href={CONSOLE_SECTIONS[key].href}>{t[CONSOLE_SECTIONS[key].label]}</a>
                          </h3>
                          <p>{t[CONSOLE_SECTIONS[key].blurb]}</p>
                        </li>
                      ))}
                    </ul>
                  )}
                </section>
              </>
            ),
          });
        }),
      );
    },
};
