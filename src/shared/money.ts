/**
 * Money is integer rupiah. Percentages are basis points (1% = 100 bps).
 * `roundRupiah` is the only rounding policy in the codebase (domain-rules.md "Rounding": half up to the rupiah);
 * the official rounding rule is unpublished, so it must live in exactly one place.
 */
export type Rupiah = number;

export function rupiah(n: number): Rupiah {
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`not a whole rupiah amount: ${n}`);
  }
  return n;
}

/** Rounds numerator/denominator half up (away from zero for positives) using integer arithmetic only. */
export function roundRupiah(numerator: bigint, denominator: bigint): Rupiah {
  if (denominator <= 0n) {
    throw new RangeError('denominator must be positive');
  }
  const q = numerator / denominator;
  const r = numerator % denominator;
  const rounded = r * 2n >= denominator ? q + 1n : q;
  return rupiah(Number(rounded));
}

/** amount × bps / 10 000, rounded once by `roundRupiah`. */
export function percentOfBps(amount: Rupiah, bps: number): Rupiah {
  return roundRupiah(BigInt(amount) * BigInt(bps), 10_000n);
}

export function sumRupiah(values: readonly Rupiah[]): Rupiah {
  let total = 0;
  for (const v of values) {
    total += v;
  }
  return rupiah(total);
}

const idrFormat = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0, minimumFractionDigits: 0 });

/** Indonesian spelling (PUEBI): "Rp16.800", prefix without a space. */
export function formatRupiah(amount: Rupiah): string {
  return amount < 0 ? `-Rp${idrFormat.format(-amount)}` : `Rp${idrFormat.format(amount)}`;
}
