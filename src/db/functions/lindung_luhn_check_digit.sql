-- lindung_luhn_check_digit: its current definition (written before by migrations/2026-11-22T0200-settle-payment-function.ts, which stays frozen).
-- Applied after the migrations by src/db/function-sources.ts whenever this file changes (docs/architecture.md).
-- Luhn check digit, the rightmost digit doubled first (same as luhnCheckDigit in src/shared/ids.ts).
create or replace function lindung_luhn_check_digit(digits text) returns text language plpgsql immutable as $$
declare
  s integer := 0;
  d integer;
  n integer := length(digits);
begin
  for i in 0 .. n - 1 loop
    d := substr(digits, n - i, 1)::integer;
    if i % 2 = 0 then
      d := d * 2;
      if d > 9 then d := d - 9; end if;
    end if;
    s := s + d;
  end loop;
  return ((10 - s % 10) % 10)::text;
end;
$$;
