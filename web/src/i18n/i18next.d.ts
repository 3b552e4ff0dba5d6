/** Typed keys: the zh-CN resources are the type, so a key missing from them is a type error. */
import type { zh } from './resources';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    /** A page's namespace falls back to `common`, so generic words need no prefix. */
    fallbackNS: 'common';
    resources: typeof zh;
    /** A string with `{{name}}` needs its values. */
    strictInterpolationChecks: true;
  }
}
