-- lindung_next_kpj: its current definition (written before by migrations/2026-11-22T0200-settle-payment-function.ts, which stays frozen).
-- Applied after the migrations by src/db/function-sources.ts whenever this file changes (docs/architecture.md).
-- KPJ: 10 digits from kpj_seq and a Luhn digit; a sequence value is never handed out twice.
create or replace function lindung_next_kpj() returns text language plpgsql as $$
declare
  base text := nextval('kpj_seq')::text;
begin
  return base || lindung_luhn_check_digit(base);
end;
$$;
