/**
 * EMVCo TLV (the data-object format of merchant-presented QR codes; integrations.md §1.1): a flat run of
 * `ID (2 digits) LEN (2 digits) VALUE`, where some IDs are templates whose value is again a run of data objects.
 *
 * Lengths count characters, not bytes. QRIS payloads are ASCII, but EMVCo allows UTF-8 in the language template
 * (tag 64), and the KHQR vector in §1.5 counts "文山" as 2 — so lengths here count Unicode code points.
 *
 * Bad input is a Rejected value with a stable code, never an exception: these functions run on text scanned from
 * a camera or pasted by a user.
 */
import { ok, reject } from '../../../shared/result.js';
import type { Rejected, Result } from '../../../shared/result.js';

export interface TlvEntry {
  /** Two decimal digits, "00"–"99". */
  readonly tag: string;
  /** The raw value; for a template, the encoded children. */
  readonly value: string;
  /** For template tags (see `isTemplateTag`) when parsed with `nested`: the decoded children, in payload order. */
  readonly children?: readonly TlvEntry[];
}

/** What `buildTlv` takes: a primitive value, or a template given by its children. */
export type TlvInput = { readonly tag: string; readonly value: string } | { readonly tag: string; readonly children: readonly TlvInput[] };

export type TlvRejection = 'malformed_tlv' | 'bad_length' | 'duplicate_tag';

/** EMVCo data objects have a two-digit length, and a length of 00 is not a data object. */
export const TLV_VALUE_MAX = 99;

const TWO_DIGITS = /^\d\d$/;

/**
 * Templates of the merchant-presented payload whose children are worth decoding: merchant account information
 * (26–51), additional data (62) and the language template (64). Tags 02–25 are primitive card-scheme account data;
 * 80–99 (unreserved templates) are left opaque, since nothing here reads them and a lenient reader should not reject
 * a payload over a private template it does not use.
 */
export function isTemplateTag(tag: string): boolean {
  if (!TWO_DIGITS.test(tag)) {
    return false;
  }
  const n = Number(tag);
  return (n >= 26 && n <= 51) || n === 62 || n === 64;
}

/** Length in EMVCo characters (Unicode code points). */
export function tlvLength(value: string): number {
  let n = 0;
  for (const _ of value) {
    n++;
  }
  return n;
}

export interface ParseTlvOptions {
  /** Decode the children of template tags (see `isTemplateTag`); a template that does not decode is rejected. */
  readonly nested?: boolean;
}

/**
 * Parses one level of data objects (and, with `nested`, the template children). Entries keep payload order, so
 * `buildTlv(parseTlv(s).value)` gives back `s`. A tag repeated within one level is rejected (EMVCo allows each ID once
 * per template): a reader that silently took the first or the last of two amounts would be a way to mislead it.
 */
export function parseTlv(input: string, options: ParseTlvOptions = {}): Result<TlvEntry[], TlvRejection> {
  return parseLevel(Array.from(input), options.nested === true, '');
}

function parseLevel(chars: readonly string[], nested: boolean, path: string): Result<TlvEntry[], TlvRejection> {
  if (chars.length === 0) {
    return reject('malformed_tlv', path || undefined, 'empty');
  }
  const entries: TlvEntry[] = [];
  const seen = new Set<string>();
  let i = 0;
  while (i < chars.length) {
    if (chars.length - i < 4) {
      return reject('malformed_tlv', path || undefined, `truncated data object at character ${i}`);
    }
    const tag = chars.slice(i, i + 2).join('');
    const len = chars.slice(i + 2, i + 4).join('');
    const field = path ? `${path}.${tag}` : tag;
    if (!TWO_DIGITS.test(tag)) {
      return reject('malformed_tlv', path || undefined, `tag at character ${i} is not two digits`);
    }
    if (!TWO_DIGITS.test(len)) {
      return reject('bad_length', field, `length at character ${i + 2} is not two digits`);
    }
    const n = Number(len);
    if (n === 0) {
      return reject('bad_length', field, 'length 00');
    }
    if (i + 4 + n > chars.length) {
      return reject('bad_length', field, `length ${n} runs past the end`);
    }
    if (seen.has(tag)) {
      return reject('duplicate_tag', field);
    }
    seen.add(tag);
    const valueChars = chars.slice(i + 4, i + 4 + n);
    const value = valueChars.join('');
    if (nested && isTemplateTag(tag)) {
      const children = parseLevel(valueChars, false, field);
      if (!children.ok) {
        // A template that does not decode is a malformed payload, whatever went wrong inside it.
        return reject('malformed_tlv', children.field ?? field, `template ${field}: ${children.detail ?? children.code}`);
      }
      entries.push({ tag, value, children: children.value });
    } else {
      entries.push({ tag, value });
    }
    i += 4 + n;
  }
  return ok(entries);
}

/** Encodes entries in the given order. A template given by `children` is encoded from them. */
export function buildTlv(entries: readonly TlvInput[]): Result<string, TlvRejection> {
  let out = '';
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!TWO_DIGITS.test(entry.tag)) {
      return reject('malformed_tlv', entry.tag, 'tag must be two digits');
    }
    if (seen.has(entry.tag)) {
      return reject('duplicate_tag', entry.tag);
    }
    seen.add(entry.tag);
    let value: string;
    if ('children' in entry) {
      const inner = buildTlv(entry.children);
      if (!inner.ok) {
        return withPath(inner, entry.tag);
      }
      value = inner.value;
    } else {
      value = entry.value;
    }
    const n = tlvLength(value);
    if (n === 0 || n > TLV_VALUE_MAX) {
      return reject('bad_length', entry.tag, `value length ${n} outside 1–${TLV_VALUE_MAX}`);
    }
    out += entry.tag + String(n).padStart(2, '0') + value;
  }
  return ok(out);
}

function withPath(r: Rejected<TlvRejection>, tag: string): Rejected<TlvRejection> {
  return reject(r.code, r.field === undefined ? tag : `${tag}.${r.field}`, r.detail);
}

/** The entry with `tag`, if present (tags are unique per level). */
export function findTag(entries: readonly TlvEntry[] | undefined, tag: string): TlvEntry | undefined {
  return entries?.find((e) => e.tag === tag);
}
