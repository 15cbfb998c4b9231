/**
 * Decodes Stripe's request bodies and query strings: form encoding with bracket
 * nesting (`metadata[key]=v`, `payment_method_data[card][number]=…`, `expand[]=x`).
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export function parseForm(text: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const [head, ...rest] = rawKey.split('[');
    const path = [head, ...rest.map((part) => part.replace(/\]$/, ''))];
    let node: FormValue[] | { [key: string]: FormValue } = root;
    path.forEach((key, index) => {
      const last = index === path.length - 1;
      if (key === '' && Array.isArray(node)) {
        const child = last ? value : {};
        node.push(child);
        if (!last) node = child as { [key: string]: FormValue };
        return;
      }
      const fields = node as { [key: string]: FormValue };
      if (last) fields[key] = value;
      else node = (fields[key] ??= path[index + 1] === '' ? [] : {}) as FormValue[] | { [key: string]: FormValue };
    });
  }
  return root;
}
