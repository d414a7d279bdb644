/**
 * A small XML writer: elements in order, text escaped, empty optional values left out. Enough for the
 * report formats, which are plain element trees.
 */
export function escapeXml(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped; markup characters are escaped.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[<>&"]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '&quot;'));
}

export type XmlChild = XmlElement | undefined | false;

export interface XmlElement {
  name: string;
  attrs?: Record<string, string | number>;
  text?: string;
  children?: XmlChild[];
}

/** An element with text, or nothing when the value is absent or empty. */
export function leaf(name: string, value: string | number | undefined | null): XmlElement | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  return text === '' ? undefined : { name, text };
}

export function el(name: string, children: XmlChild[], attrs?: Record<string, string | number>): XmlElement {
  return attrs ? { name, attrs, children } : { name, children };
}

export function render(root: XmlElement): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  const walk = (e: XmlElement, depth: number): void => {
    const pad = '  '.repeat(depth);
    const attrs = e.attrs ? Object.entries(e.attrs).map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`).join('') : '';
    const kids = (e.children ?? []).filter((c): c is XmlElement => !!c);
    if (kids.length === 0) {
      out.push(e.text === undefined ? `${pad}<${e.name}${attrs}/>\n` : `${pad}<${e.name}${attrs}>${escapeXml(e.text)}</${e.name}>\n`);
      return;
    }
    out.push(`${pad}<${e.name}${attrs}>\n`);
    for (const k of kids) walk(k, depth + 1);
    out.push(`${pad}</${e.name}>\n`);
  };
  walk(root, 0);
  return out.join('');
}

/** Cut text to a schema's maximum length (in characters). */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
