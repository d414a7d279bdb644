/**
 * Safe streaming XML: a strict non-validating parser (saxes) that never loads a DTD, never expands a
 * declared entity (any DOCTYPE is refused: no XXE, no entity bombs), bounds depth and sizes, and hands
 * each record element to the reader as a small tree while the rest of the document streams past.
 */
import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
import { SaxesParser } from 'saxes';

export interface XmlNode {
  /** Local name, namespace prefix dropped. */
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
  /** Line where the element starts. */
  line: number;
}

export interface XmlLimits {
  maxDepth: number;
  /** Nodes in one captured record subtree. */
  maxRecordNodes: number;
  /** Characters of text in one element. */
  maxTextChars: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxDepth: 64, maxRecordNodes: 50_000, maxTextChars: 1 << 20 };

export interface XmlStreamHandlers {
  /** Whether the element at this path (local names from the root, e.g. `Document/FIToFICstmrCdtTrf/CdtTrfTxInf`) is a record to capture. */
  isRecord(path: readonly string[]): boolean;
  /** A captured record, complete. */
  record(node: XmlNode, path: readonly string[]): void;
  /** Called for every element opened outside records (to read headers such as GrpHdr). */
  open?(name: string, attrs: Record<string, string>, path: readonly string[], line: number): void;
  /** A record that exceeded a limit and was skipped. */
  recordError?(line: number, reason: string): void;
}

export class XmlRefused extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon === -1 ? qname : qname.slice(colon + 1);
}

/** Stream an XML file through the handlers. Throws XmlRefused for a DOCTYPE or malformed XML (with the line). */
export async function streamXml(
  path: string,
  handlers: XmlStreamHandlers,
  options: { limits?: Partial<XmlLimits>; onBytes?: (n: number) => void; stream?: AsyncIterable<Buffer | string> } = {},
): Promise<{ root: string | undefined }> {
  const limits = { ...DEFAULT_XML_LIMITS, ...options.limits };
  const parser = new SaxesParser({ xmlns: false, position: true });
  const path_: string[] = [];
  let root: string | undefined;
  let capture: XmlNode[] = []; // stack of open nodes inside a record
  let captureDepth = -1;
  let captureNodes = 0;
  let skipDepth = -1; // inside a record that broke a limit
  let failure: XmlRefused | undefined;

  parser.on('doctype', () => {
    failure ??= new XmlRefused(parser.line, 'DOCTYPE declarations are refused (no DTD, no external or internal entities)');
  });
  parser.on('processinginstruction', (pi) => {
    if (pi.target.toLowerCase() === 'xml-stylesheet') return;
  });
  parser.on('error', (err) => {
    failure ??= new XmlRefused(parser.line, `malformed XML: ${err.message.replace(/^.*?:\d+:\d+: /, '')}`);
  });
  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    const line = parser.line;
    path_.push(name);
    if (path_.length === 1) root = name;
    if (path_.length > limits.maxDepth) {
      failure ??= new XmlRefused(line, `elements nested deeper than ${limits.maxDepth}`);
      return;
    }
    if (skipDepth >= 0) return;
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attrs[localName(k)] = String(v);
    if (captureDepth >= 0) {
      if (++captureNodes > limits.maxRecordNodes) {
        handlers.recordError?.(capture[0]!.line, `record has more than ${limits.maxRecordNodes} elements`);
        skipDepth = captureDepth;
        capture = [];
        captureDepth = -1;
        return;
      }
      const node: XmlNode = { name, attrs, children: [], text: '', line };
      capture[capture.length - 1]!.children.push(node);
      capture.push(node);
      return;
    }
    if (handlers.isRecord(path_)) {
      captureDepth = path_.length;
      captureNodes = 1;
      capture = [{ name, attrs, children: [], text: '', line }];
      return;
    }
    handlers.open?.(name, attrs, path_, line);
  });
  const onText = (text: string) => {
    if (captureDepth < 0 || skipDepth >= 0) return;
    const node = capture[capture.length - 1];
    if (!node) return;
    if (node.text.length + text.length > limits.maxTextChars) {
      handlers.recordError?.(capture[0]!.line, `element <${node.name}> has more than ${limits.maxTextChars} characters of text`);
      skipDepth = captureDepth;
      capture = [];
      captureDepth = -1;
      return;
    }
    node.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const depth = path_.length;
    if (skipDepth >= 0) {
      if (depth === skipDepth) skipDepth = -1;
    } else if (captureDepth >= 0) {
      const node = capture.pop()!;
      node.text = node.text.trim();
      if (depth === captureDepth) {
        captureDepth = -1;
        handlers.record(node, path_);
      }
    }
    path_.pop();
  });

  const stream = options.stream ?? createReadStream(path, { highWaterMark: 1 << 20 });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  try {
    for await (const chunk of stream) {
      let text: string;
      if (typeof chunk === 'string') text = chunk;
      else {
        bytes += chunk.length;
        options.onBytes?.(bytes);
        try {
          text = decoder.decode(chunk, { stream: true });
        } catch {
          throw new XmlRefused(parser.line, 'invalid UTF-8 in XML document (declare and convert the encoding)');
        }
      }
      parser.write(text);
      if (failure) throw failure;
    }
    parser.close();
    if (failure) throw failure;
  } finally {
    if ('destroy' in stream && typeof stream.destroy === 'function') stream.destroy();
  }
  return { root };
}

/** First child with this local name. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (!node) return undefined;
  for (const c of node.children) if (c.name === name) return c;
  return undefined;
}

/** Text at a path of child names (`child(child(n,'a'),'b').text`), or undefined. */
export function textAt(node: XmlNode | undefined, ...names: string[]): string | undefined {
  let cur = node;
  for (const n of names) cur = child(cur, n);
  return cur?.text;
}

export function childrenNamed(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? node.children.filter((c) => c.name === name) : [];
}

/** The root element's local name from the first bytes of a document (for format detection). */
export function rootElement(head: string): string | undefined {
  const re = /<([A-Za-z_][\w.:-]*)[\s/>]/g;
  let m: RegExpExecArray | null;
  let i = 0;
  while ((m = re.exec(head)) && i++ < 1000) {
    const before = head.slice(Math.max(0, m.index - 1), m.index + 2);
    if (before.startsWith('<?') || before.startsWith('<!')) continue;
    return localName(m[1]!);
  }
  return undefined;
}
