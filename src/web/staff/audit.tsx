import { auditEventsOf, type AuditEvent } from '../../modules/audit/index.js';
import { TextField } from '../components/form.js';
import { HeadRow } from '../components/table.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatInstant } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import type { StaffConsolePage } from './kit.js';
import { sectionRoles } from './sections.js';

/** The entity shape GET /api/v1/staff/audit accepts: TYPE:ID. */
const ENTITY = /^[a-z_-]+:\S+$/;

function EventsTable(props: { m: Messages; lang: Lang; entity: string; events: AuditEvent[] }) {
  const t = props.m.staff;
  if (props.events.length === 0) {
    return <p>{fill(t.auditEmpty, { entity: props.entity })}</p>;
  }
  return (
    <table>
      <caption>{fill(t.auditCaption, { entity: props.entity })}</caption>
      <HeadRow columns={[{ label: t.colAt }, { label: t.colActor }, { label: t.colAction }, { label: t.colReason }]} />
      <tbody>
        {props.events.map((e) => (
          <tr>
            <td>{formatInstant(e.at, props.lang)}</td>
            <td>{e.actor}</td>
            <td>
              <code>{e.action}</code>
            </td>
            <td>{e.reason ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * /staff/audit?entitas=TYPE:ID (supervisor, admin — as GET /api/v1/staff/audit): the audit events of one entity,
 * oldest first, through the audit module's use case. A GET form: nothing changes, so no CSRF token is needed.
 */
export const auditRoutes: StaffConsolePage = {
  section: 'audit',
  mount(app, kit) {
    app.get(
      '/staff/audit',
      kit.requireStaffPage(sectionRoles('audit'), async (c, staff) => {
        const lang = c.get('lang');
        const m = messagesFor(lang);
        const t = m.staff;
        const entity = (c.req.query('entitas') ?? '').trim().slice(0, 200);
        const valid = ENTITY.test(entity);
        const error = entity !== '' && !valid ? t.entityInvalid : undefined;
        const events = valid ? await auditEventsOf(kit.deps.db, entity) : null;
        return kit.render(c, {
          title: t.auditTitle,
          staff,
          current: 'audit',
          status: error ? 422 : 200,
          body: (
            <>
              <h1>{t.auditTitle}</h1>
              <p>{t.auditIntro}</p>
              <form method="get" action="/staff/audit" class="staff-inline" role="search">
                <TextField name="entitas" label={t.entity} value={entity} error={error} autocomplete="off" maxlength={200} required />
                <div class="field">
                  <button type="submit">{t.showButton}</button>
                </div>
              </form>
              {events ? <EventsTable m={m} lang={lang} entity={entity} events={events} /> : null}
            </>
          ),
        });
      }),
    );
  },
};
