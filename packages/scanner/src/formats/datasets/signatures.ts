/**
 * What makes a dataset cell dangerous, as data with reasons. A dataset is not executed, but its
 * cells end up in spreadsheets, web pages and model prompts.
 */
export interface CellSignature {
  id: string;
  pattern: RegExp;
  reason: string;
}

/** DATA-ACTIVE-CONTENT: cells that run when rendered in a browser or opened in a spreadsheet. */
export const ACTIVE_CONTENT: readonly CellSignature[] = [
  {
    id: 'script-tag',
    pattern: /<script\b/i,
    reason: 'Runs in any page that renders the cell as HTML.',
  },
  {
    id: 'javascript-url',
    pattern: /\bjavascript:\s*[\w(]/i,
    reason: 'A link or src that runs script when followed.',
  },
  {
    id: 'html-data-url',
    pattern: /\bdata:\s*text\/html\b/i,
    reason: 'A data: URL that opens as an HTML page.',
  },
  {
    id: 'html-event-handler',
    pattern:
      /<[a-z][^>]*\son(?:load|error|click|mouseover|focus|toggle|animationstart|pointerover)\s*=/i,
    reason: 'An HTML element whose event handler runs script when rendered.',
  },
];

/** Spreadsheet formula at the start of a CSV/TSV cell (CSV injection); plain signed numbers are not. */
export const SPREADSHEET_FORMULA: CellSignature = {
  id: 'spreadsheet-formula',
  pattern:
    /^\s*(?:=(?![>=])|[+\-@]\s*[A-Za-z_][\w.]*\s*\()|^\s*[=+\-@].*\b(?:cmd|powershell|mshta)\s*\|/i,
  // `=>` and `==` open code snippets and arrows in prose, not formulas (measured on the benign set).
  reason:
    'Excel/LibreOffice evaluate it when the CSV is opened: DDE (`cmd|...`) runs commands, HYPERLINK/WEBSERVICE leak data.',
};

/** DATA-SUSPICIOUS-URL: hosts where payloads and exfiltration endpoints live. */
export const PASTE_AND_FILE_HOSTS: ReadonlyMap<string, string> = new Map([
  ['pastebin.com', 'paste site: mutable text, common payload stage'],
  ['paste.ee', 'paste site'],
  ['hastebin.com', 'paste site'],
  ['ghostbin.com', 'paste site'],
  ['rentry.co', 'paste site'],
  ['transfer.sh', 'anonymous file drop'],
  ['file.io', 'anonymous one-shot file drop'],
  ['gofile.io', 'anonymous file hosting'],
  ['catbox.moe', 'anonymous file hosting'],
  ['temp.sh', 'anonymous file drop'],
  ['anonfiles.com', 'anonymous file hosting'],
  ['webhook.site', 'request catcher: exfiltration endpoint'],
  ['requestbin.net', 'request catcher: exfiltration endpoint'],
  ['ngrok.io', "tunnel to someone's machine"],
  ['ngrok-free.app', "tunnel to someone's machine"],
  ['trycloudflare.com', "tunnel to someone's machine"],
]);
export const URL_SHORTENERS: ReadonlyMap<string, string> = new Map([
  ['bit.ly', 'shortener hides the destination'],
  ['tinyurl.com', 'shortener hides the destination'],
  ['is.gd', 'shortener hides the destination'],
  ['cutt.ly', 'shortener hides the destination'],
  ['rb.gy', 'shortener hides the destination'],
  ['ow.ly', 'shortener hides the destination'],
  ['t.ly', 'shortener hides the destination'],
  ['shorturl.at', 'shortener hides the destination'],
  ['goo.gl', 'shortener hides the destination'],
]);

/** DATA-PROMPT-INJECTION: text that tries to take over a model that reads the cell. */
export const PROMPT_INJECTION: readonly CellSignature[] = [
  {
    id: 'ignore-instructions',
    pattern:
      /\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above|earlier|preceding)\s+(?:instructions|prompts?|rules|directions|context)\b/i,
    reason: 'The canonical instruction override.',
  },
  {
    id: 'new-system-prompt',
    pattern:
      /(?:^|\n)\s*(?:#{1,3}\s*)?(?:system\s*(?:prompt|message)?|<\|?(?:system|im_start\|?>?\s*system))\s*[:>]/i,
    reason: 'Fake system/chat-template turn injected into data.',
  },
  {
    id: 'jailbreak-persona',
    pattern:
      /\b(?:you are now|act as|pretend to be|from now on you are)\s+(?:DAN|an? (?:unfiltered|uncensored|jailbroken|unrestricted) (?:AI|assistant|model))\b|\bDo Anything Now\b|\bdeveloper mode (?:enabled|output)\b/i,
    reason: 'Role-play markers of known jailbreak prompts.',
  },
  {
    id: 'exfiltrate-prompt',
    pattern:
      /\b(?:reveal|print|repeat|output)\s+(?:your|the)\s+(?:system prompt|initial instructions|hidden instructions)\b/i,
    reason: 'Asks the model to leak its instructions.',
  },
];

/** Unicode tag characters (U+E0000–U+E007F) carry invisible instructions that models still read. */
export const TAG_CHARACTERS = /[\u{E0000}-\u{E007F}]{3,}/u;
/** Runs of zero-width and bidi controls hide or reorder text a reviewer sees. */
export const INVISIBLE_CONTROL_RUN =
  /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]{4,}/;
