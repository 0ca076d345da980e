// The admin API as the console calls it: the token typed once, kept in sessionStorage for
// the tab, sent as a bearer token; an answer the venue refuses becomes an Error with its
// code and message.

const TOKEN = "papi-venue-admin-token";

export const hasToken = () => sessionStorage.getItem(TOKEN) !== null;
export const keepToken = (token) => sessionStorage.setItem(TOKEN, token);

export async function adminJson(path, init = {}) {
  const res = await fetch(path, {
    ...init,
    headers: { authorization: `Bearer ${sessionStorage.getItem(TOKEN)}`, "content-type": "application/json" },
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`${body.code}: ${body.msg}`);
  return body;
}

/** Fills a table with a header row of `columns` and a row per item. */
export function table(element, columns, items) {
  const head = document.createElement("tr");
  for (const c of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = c;
    head.append(th);
  }
  const rows = items.map((item) => {
    const tr = document.createElement("tr");
    for (const c of columns) {
      const td = document.createElement("td");
      td.textContent = String(item[c] ?? "");
      tr.append(td);
    }
    return tr;
  });
  element.replaceChildren(head, ...rows);
}
