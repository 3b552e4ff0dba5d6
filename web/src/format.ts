import dayjs from 'dayjs';
import type { FormInstance } from 'antd';
import { ApiError } from './api';

export function fmtTime(v: string | null | undefined): string {
  if (!v) return '—';
  const d = dayjs(v);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : v;
}

/** Normalise a server field name ("/unitId", "body.unitId", "unitId") to the form field name. */
export function normaliseField(field: string): string {
  return field.replace(/^\/+/, '').replace(/^body[./]/, '').split(/[./]/)[0] ?? field;
}

/**
 * Show a server error on the form: next to the field named by `error.field` when the form has it,
 * otherwise as a message. Returns the message shown.
 */
export function showFormError(
  form: FormInstance,
  err: unknown,
  fields: readonly string[],
  notify: (msg: string) => void,
): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (err instanceof ApiError && err.field) {
    const name = normaliseField(err.field);
    if (fields.includes(name)) {
      form.setFields([{ name, errors: [msg] }]);
      return msg;
    }
  }
  notify(msg);
  return msg;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
