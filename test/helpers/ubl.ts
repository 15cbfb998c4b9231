import { validateXML } from 'xmllint-wasm';

/**
 * An XPath 1.0 expression over UBL with the `cac:`/`cbc:` prefixes written out
 * and matched by local name (xmllint's `--xpath` cannot declare prefixes):
 * `cac:InvoiceLine/cbc:ID` → `*[local-name()="InvoiceLine"]/*[local-name()="ID"]`.
 */
export const ublPath = (path: string) => path.replace(/\b(?:cac|cbc|ubl):(\w+)/g, '*[local-name()="$1"]');

/**
 * Evaluates an XPath 1.0 expression on an XML document with libxml2 (xmllint,
 * compiled to WebAssembly): a node set's text nodes one per entry, a scalar as
 * one entry, an empty node set as none.
 */
export async function xpath(xml: string, expression: string): Promise<string[]> {
  try {
    const result = await validateXML({
      xml: [{ fileName: 'document.xml', contents: xml }],
      normalization: 'format',
      modifyArguments: () => ['--xpath', ublPath(expression), 'document.xml'],
    });
    return result.normalized.replace(/\n$/, '').split('\n');
  } catch (error) {
    if (/XPath set is empty/.test(String(error))) return [];
    throw error;
  }
}

/** One value; fails when the expression selects none or several. */
export async function value(xml: string, expression: string): Promise<string> {
  const values = await xpath(xml, expression);
  if (values.length !== 1) throw new Error(`${expression}: ${values.length} values (${values.join(', ')})`);
  return values[0];
}

/** libxml2's verdict on whether the text is well-formed XML: its parser errors, none when it is. */
export async function wellFormednessErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'document.xml', contents: xml }], normalization: 'format' });
  return result.errors.map((e) => e.message);
}

/**
 * Several XPath 1.0 expressions, each taken as a string (`string(…)`: the first
 * node's text, or empty), in one pass of xmllint — each pass starts a worker.
 */
export async function values<K extends string>(
  xml: string,
  expressions: Record<K, string>,
): Promise<Record<K, string>> {
  const keys = Object.keys(expressions) as K[];
  const separator = '|#|';
  const joined = await value(
    xml,
    `concat(${keys.map((k) => `string(${expressions[k]})`).join(`, "${separator}", `)}, "")`,
  );
  const parts = joined.split(separator);
  return Object.fromEntries(keys.map((k, i) => [k, parts[i]])) as Record<K, string>;
}
