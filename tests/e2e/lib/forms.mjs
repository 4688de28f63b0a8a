// HTML forms for the test servers that stand in for upstream IdPs: text
// escaped into a page, and the urlencoded body of a posted form.

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}
