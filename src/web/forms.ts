/** Reading posted forms: every field is a string or absent; files and repeated fields are not expected. */
export type Form = Record<string, string | File | (string | File)[]>;

export function field(form: Form, name: string, max = 500): string {
  const v = form[name];
  const one = Array.isArray(v) ? v[0] : v;
  return typeof one === 'string' ? one.slice(0, max) : '';
}

export function fields(form: Form, name: string): string[] {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
}

/** 'budi.santoso@contoh.id' → 'b***@contoh.id': enough for a person to recognise their own address. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  return at <= 0 ? email : `${email[0]}***${email.slice(at)}`;
}

/** '+6281234567890' → '0812••••7890': enough to recognise one's own number, not to read someone else's. */
export function maskPhone(e164: string): string {
  const national = e164.startsWith('+62') ? `0${e164.slice(3)}` : e164;
  return national.length <= 8 ? national : `${national.slice(0, 4)}${'•'.repeat(national.length - 8)}${national.slice(-4)}`;
}

export function nationalPhone(e164: string): string {
  return e164.startsWith('+62') ? `0${e164.slice(3)}` : e164;
}
