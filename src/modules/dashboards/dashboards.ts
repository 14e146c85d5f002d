import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { addDays } from '../../shared/month.js';
import { claimAgeTable, dayWindow, fillDays, moneySeries, monthWindow, statusDates, statusSeries, totalsByKey, wibDayStart, type DayCount, type NewMemberWindow } from './figures.js';
import { claimRows, moneyRows, newMemberRows, payoutRows, statusPoints } from './queries.js';

/** The figures of the dashboards (README "Dashboards"); each is a JSON endpoint and a CSV export. */
export const FIGURES = ['new-members', 'membership-status', 'collections', 'claims', 'payouts'] as const;
export type Figure = (typeof FIGURES)[number];

export interface CsvTable {
  /** The export's file name (without the date suffix). */
  name: string;
  header: readonly string[];
  rows: (string | number)[][];
}

const dayRows = (rows: readonly DayCount[]) => rows.map((r) => ({ day: r.day, key: r.key, count: r.count }));

export async function newMembers(db: Kysely<Database>, now: Date, days: NewMemberWindow) {
  const w = dayWindow(now, days);
  const rows = await newMemberRows(db, w.start, w.end);
  const byChannel = fillDays(w.days, rows.byChannel);
  const byBranch = fillDays(w.days, rows.byBranch);
  const total = rows.byChannel.reduce((s, r) => s + r.count, 0);
  return {
    from: w.from,
    to: w.to,
    days,
    total,
    channels: totalsByKey(byChannel).map((r) => ({ channel: r.key, count: r.count })),
    branches: totalsByKey(byBranch).map((r) => ({ branch: r.key, count: r.count })),
    byChannel: dayRows(byChannel).map((r) => ({ day: r.day, channel: r.key, count: r.count })),
    byBranch: dayRows(byBranch).map((r) => ({ day: r.day, branch: r.key, count: r.count })),
  };
}

export async function membershipStatus(db: Kysely<Database>, now: Date) {
  const dates = statusDates(now);
  const points = await statusPoints(db, dates, dates.map((d) => wibDayStart(addDays(d, 1))));
  return { dates: statusSeries(points) };
}

export async function collections(db: Kysely<Database>, now: Date) {
  const w = monthWindow(now);
  const starts = [...w.months.map((m) => wibDayStart(`${m}-01`)), w.end];
  const r = await moneyRows(db, w.months, starts);
  return { months: moneySeries(w.months, r.billed, r.collected) };
}

export async function claimsByAge(db: Kysely<Database>, now: Date) {
  const rows = await claimRows(db, now);
  const table = claimAgeTable(rows);
  const statuses = [...new Set(table.map((r) => r.status))].map((status) => {
    const of = table.filter((r) => r.status === status);
    return { status, count: of.reduce((s, r) => s + r.count, 0), amount: of.reduce((s, r) => s + r.amount, 0) };
  });
  return { asOf: now.toISOString(), statuses, buckets: table };
}

export async function payoutsByStatus(db: Kysely<Database>) {
  const statuses = await payoutRows(db);
  return { statuses, count: statuses.reduce((s, r) => s + r.count, 0), amount: statuses.reduce((s, r) => s + r.amount, 0) };
}

/** The CSV of a figure: Indonesian column names, one row per figure row. */
export async function figureCsv(db: Kysely<Database>, figure: Figure, now: Date, days: NewMemberWindow): Promise<CsvTable> {
  switch (figure) {
    case 'new-members': {
      const f = await newMembers(db, now, days);
      const rows = [...f.byChannel.map((r) => [r.day, 'kanal', r.channel, r.count]), ...f.byBranch.map((r) => [r.day, 'kantor_cabang', r.branch, r.count])];
      return { name: `peserta-baru-${days}-hari`, header: ['tanggal', 'dimensi', 'nilai', 'jumlah_peserta_baru'], rows };
    }
    case 'membership-status': {
      const f = await membershipStatus(db, now);
      return { name: 'status-kepesertaan', header: ['tanggal', 'aktif', 'menunggak', 'nonaktif'], rows: f.dates.map((r) => [r.date, r.active, r.arrears, r.inactive]) };
    }
    case 'collections': {
      const f = await collections(db, now);
      return { name: 'iuran-tertagih-terkumpul', header: ['bulan', 'ditagihkan_rupiah', 'terkumpul_rupiah', 'selisih_rupiah'], rows: f.months.map((r) => [r.month, r.billed, r.collected, r.gap]) };
    }
    case 'claims': {
      const f = await claimsByAge(db, now);
      return { name: 'klaim-per-status-umur', header: ['status', 'umur_hari', 'jumlah_klaim', 'nilai_rupiah'], rows: f.buckets.map((r) => [r.status, r.age, r.count, r.amount]) };
    }
    case 'payouts': {
      const f = await payoutsByStatus(db);
      return { name: 'pembayaran-manfaat-per-status', header: ['status', 'jumlah', 'nilai_rupiah'], rows: f.statuses.map((r) => [r.status, r.count, r.amount]) };
    }
  }
}
