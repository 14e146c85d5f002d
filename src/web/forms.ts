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

/** '+6281234567890' → '+62 812****7890'. */
export function maskPhone(phone: string): string {
  if (phone.length < 8) {
    return phone;
  }
  return `${phone.slice(0, 3)} ${phone.slice(3, 6)}****${phone.slice(-4)}`;
}
