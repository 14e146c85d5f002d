/** The catalogue machinery lives in src/shared/i18n (one pipeline for pages, API errors and notifications). */
export { catalogue, fill, isLang, LANGS, type Lang } from '../../shared/i18n/catalogue.js';
