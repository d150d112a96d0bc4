import { TranslationApi } from '@backstage/frontend-plugin-api';
import { mockApis } from '@backstage/test-utils';
import { createElement, Fragment, isValidElement } from 'react';

/** Around every translated message, so what is left after removing them was not translated. */
export const MESSAGE_START = '\u27EA';
export const MESSAGE_END = '\u27EB';

/**
 * The test-utils translation API (default English, real interpolation) with every message of every
 * translation ref — ours, core-components', catalog-react's — wrapped in MESSAGE_START…MESSAGE_END.
 */
export function markingTranslationApi(): TranslationApi {
  const base = mockApis.translation();
  return {
    getTranslation: ref => {
      const snapshot = base.getTranslation(ref);
      if (!snapshot.ready) return snapshot;
      const t = ((key: string, options?: any) => {
        const text = (snapshot.t as any)(key, options);
        if (isValidElement(text))
          return createElement(
            Fragment,
            null,
            MESSAGE_START,
            text,
            MESSAGE_END,
          );
        return `${MESSAGE_START}${text}${MESSAGE_END}`;
      }) as typeof snapshot.t;
      return { ready: true, t };
    },
    translation$: ref => base.translation$(ref),
  };
}

/** The text outside every marked message (markers nest: an interpolated message inside another). */
export function unmarkedText(text: string): string {
  let depth = 0;
  let outside = '';
  for (const char of text) {
    if (char === MESSAGE_START) depth++;
    else if (char === MESSAGE_END) depth = Math.max(0, depth - 1);
    else if (depth === 0) outside += char;
  }
  return outside;
}

/**
 * Fields whose values are API enums (`failed`, `critical`, `BLOCK`…): the page must show them in words
 * from the messages, so they are not data a page may show verbatim.
 */
const ENUM_FIELDS = new Set([
  'status',
  'severity',
  'decision',
  'trigger',
  'action',
  'kind',
]);

/** Every string anywhere in a value (the data the msw handlers served), for the allowed-word list. */
export function stringsIn(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) value.forEach(each => stringsIn(each, into));
  else if (value && typeof value === 'object')
    for (const [key, each] of Object.entries(value))
      if (!ENUM_FIELDS.has(key)) stringsIn(each, into);
  return into;
}

const WORD = /[A-Za-z]{2,}/g;

// Words a formatted date or time may contain in the test locale (Intl month names, day periods).
function dateWords(): string[] {
  const words: string[] = [];
  for (let month = 0; month < 12; month++) {
    const date = new Date(Date.UTC(2026, month, 15, 15));
    words.push(
      date.toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      }),
    );
    words.push(new Date(Date.UTC(2026, month, 15, 3)).toLocaleString());
  }
  return words;
}

const ATTRIBUTES = [
  'aria-label',
  'title',
  'placeholder',
  'alt',
  'aria-valuetext',
];

/**
 * English that Backstage's and material-table's own components hard-code (no translation ref or prop
 * reaches it), so no plugin can translate it; everything else must be a message or data.
 */
const LIBRARY_TEXT = {
  /** core-components Status{OK,Warning,Error,Pending,Running}'s icon label. */
  ariaLabels: [
    'Status ok',
    'Status warning',
    'Status error',
    'Status pending',
    'Status running',
    'clear', // material-table's search-reset icon
  ],
  /** core-components EmptyState's illustrations. */
  alts: [
    'annotation is missing',
    'no Information',
    'create Component',
    'no Build',
  ],
  /** core-components Link's screen-reader suffix of external links. */
  texts: [', Opens in a new window'],
  /**
   * react-beautiful-dnd's hidden drag instructions, which material-table renders for every table; and
   * code blocks (the catalog's missing-annotation YAML example), which are code, not prose.
   */
  skippedSelector: '[id^="rbd-hidden-text"], pre',
};

/**
 * What the page shows a person (text nodes, and the attributes assistive technology reads) that is
 * neither a translated message nor data: each entry is a word plus where it was found. Words of the
 * served data and of formatted dates are data, everything else was hard-coded.
 */
export function untranslatedWords(root: Element, data: unknown): string[] {
  const allowed = new Set(
    [...stringsIn(data), ...dateWords()].flatMap(s => s.match(WORD) ?? []),
  );
  const found: string[] = [];
  const check = (text: string, where: string) => {
    for (const word of unmarkedText(text).match(WORD) ?? []) {
      if (!allowed.has(word)) found.push(`"${word}" in ${where}`);
    }
  };
  const texts: string[] = [];
  const walker = root.ownerDocument.createTreeWalker(root, 4 /* SHOW_TEXT */);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.tagName === 'STYLE' || parent.tagName === 'SCRIPT')
      continue;
    if (parent.closest(LIBRARY_TEXT.skippedSelector)) continue;
    const text = node.textContent ?? '';
    if (LIBRARY_TEXT.texts.includes(text)) continue;
    texts.push(text);
  }
  // One string for all text nodes: a message with an element interpolated spans several of them.
  check(texts.join(' '), 'the page text');
  root.querySelectorAll('*').forEach(element => {
    for (const name of ATTRIBUTES) {
      let value = element.getAttribute(name) ?? '';
      if (name === 'alt' && LIBRARY_TEXT.alts.includes(value)) continue;
      if (name === 'aria-label') {
        if (LIBRARY_TEXT.ariaLabels.includes(value)) continue;
        for (const suffix of LIBRARY_TEXT.texts)
          if (value.endsWith(suffix)) value = value.slice(0, -suffix.length);
      }
      if (value) check(value, `${element.tagName.toLowerCase()}[${name}]`);
    }
  });
  return found;
}
