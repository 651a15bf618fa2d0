// The /dev page: a guild's templates in a code editor, its mock Discord channels, a live panel and a KV browser.
// Plain DOM code; CodeMirror 6 is the only dependency (bundled by esbuild into the devui jar, no CDN).
import { EditorView, basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { StreamLanguage } from "@codemirror/language";
import { lua } from "@codemirror/legacy-modes/mode/lua";
import { setDiagnostics, lintGutter } from "@codemirror/lint";

const $ = (id) => document.getElementById(id);
const state = {
  session: null, guild: null, templates: [], template: null, files: {}, file: null,
  channel: null, members: [], live: null, liveRetry: 0, pollTimer: null,
};

const NEW_TEMPLATE = `-- A template: a table of handlers keyed by event name, each called with ctx.
return {
  MESSAGE = function(ctx)
    local msg = ctx.event.data
    print("got a message: " .. tostring(msg.content))
  end,
}
`;

// ---------------------------------------------------------------------------------------------- HTTP

function token() {
  return localStorage.getItem("tw_token");
}

async function api(method, path, body) {
  const headers = {};
  if (token()) headers["Authorization"] = token();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  if (!res.ok) {
    const err = new Error((data && data.message) || `${method} ${path}: HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return data;
}

function status(text, isError) {
  const el = $("status");
  el.textContent = text || "";
  el.className = isError ? "error" : "";
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// ---------------------------------------------------------------------------------------------- sign-in

async function start() {
  const params = new URLSearchParams(location.search);
  if (params.get("code")) {
    await finishOAuth(params.get("code"));
  }
  state.session = await api("GET", "/dev/session");
  const s = state.session;
  $("who").textContent = s.signed_in ? (s.root ? "root (this machine)" : `user ${s.user_id}`) : "not signed in";
  if (!s.signed_in) {
    showLogin();
    return;
  }
  let guilds = s.guilds;
  if (!guilds) {
    const mine = await api("GET", "/users/@me/guilds");
    const MANAGE = 0x20n, ADMIN = 0x8n;
    guilds = mine.guilds
      .filter((g) => mine.bot_in_guilds.includes(g.id))
      .filter((g) => g.owner || (BigInt(g.permissions) & (MANAGE | ADMIN)) !== 0n)
      .map((g) => ({ id: g.id, name: g.name }));
  }
  const select = $("guild-select");
  select.replaceChildren(...guilds.map((g) => el("option", { value: g.id }, `${g.name} (${g.id})`)));
  if (!guilds.length) {
    status("No guild to show: the bot must be in a guild you manage.", true);
    return;
  }
  const wanted = params.get("guild") || s.default_guild_id;
  select.value = guilds.some((g) => g.id === wanted) ? wanted : guilds[0].id;
  select.addEventListener("change", () => openGuild(select.value));
  await openGuild(select.value);
}

function showLogin() {
  const s = state.session;
  $("app").hidden = true;
  $("login").hidden = false;
  $("login-btn").onclick = () => {
    if (!s.client_id) {
      status("OAuth2 is not configured (discord_auth.client_id).", true);
      return;
    }
    const redirect = location.origin + "/dev";
    const q = new URLSearchParams({ client_id: s.client_id, redirect_uri: redirect, response_type: "code", scope: "identify guilds" });
    location.href = `${s.authorize_url}?${q}`;
  };
}

async function finishOAuth(code) {
  try {
    const r = await api("POST", "/oauth2", { code, redirect_uri: location.origin + "/dev" });
    localStorage.setItem("tw_token", r.token);
  } catch (e) {
    status("Sign-in failed: " + e.message, true);
  }
  history.replaceState(null, "", "/dev");
}

// ---------------------------------------------------------------------------------------------- guild

async function openGuild(id) {
  state.guild = id;
  state.template = null;
  await Promise.all([loadTemplates(), loadChannels(), loadKv()]);
  connectLive();
}

// ---------------------------------------------------------------------------------------------- templates

let editor;

function makeEditor() {
  editor = new EditorView({
    parent: $("editor"),
    state: EditorState.create({ doc: "", extensions: [basicSetup, StreamLanguage.define(lua), lintGutter()] }),
  });
  // For scripts and browser tests: read or replace the open file as one edit (typing goes through auto-indent).
  window.devui = {
    code: () => editor.state.doc.toString(),
    setCode: (text) => editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } }),
  };
}

async function loadTemplates(select) {
  state.templates = await api("GET", `/guilds/${state.guild}/templates`);
  const list = $("template-list");
  list.replaceChildren(...state.templates.map((t) =>
    el("li", { class: t.name === state.template?.name ? "current" : "", "data-name": t.name, onclick: () => openTemplate(t.name) },
      t.name, t.paused ? el("span", { class: "tag" }, "paused") : null)));
  const name = select || state.template?.name || state.templates[0]?.name;
  if (name) await openTemplate(name);
  else newTemplate("my-template");
}

async function openTemplate(name) {
  const t = await api("GET", `/guilds/${state.guild}/templates/${encodeURIComponent(name)}`);
  state.template = t;
  state.files = { ...t.content };
  showTemplate(Object.keys(state.files).includes("init.luau") ? "init.luau" : Object.keys(state.files)[0]);
}

function newTemplate(name) {
  state.template = { name, events: ["MESSAGE"], allowed_caps: ["kv:*", "discord:create_message"], paused: false, isNew: true };
  state.files = { "init.luau": NEW_TEMPLATE };
  showTemplate("init.luau");
}

function showTemplate(file) {
  const t = state.template;
  $("template-name").value = t.name;
  $("template-events").value = (t.events || []).join(", ");
  $("template-caps").value = (t.allowed_caps || []).join(", ");
  $("pause-btn").textContent = t.paused ? "Resume" : "Pause";
  $("pause-btn").disabled = !!t.isNew;
  $("delete-btn").disabled = !!t.isNew;
  for (const li of $("template-list").children) li.className = li.dataset.name === t.name ? "current" : "";
  showFile(file);
  showCompileError(null);
}

function showFile(file) {
  if (state.file && state.files[state.file] !== undefined) state.files[state.file] = editor.state.doc.toString();
  state.file = file;
  $("file-tabs").replaceChildren(...Object.keys(state.files).map((f) =>
    el("button", { class: f === file ? "tab current" : "tab", onclick: () => showFile(f) }, f)),
    el("button", { class: "tab add", title: "Add a file", onclick: addFile }, "+"));
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: state.files[file] ?? "" } });
  editor.dispatch(setDiagnostics(editor.state, []));
}

function addFile() {
  const name = prompt("File path (e.g. lib/util.luau)");
  if (!name) return;
  state.files[state.file] = editor.state.doc.toString();
  if (state.files[name] === undefined) state.files[name] = "return {}\n";
  showFile(name);
}

const list = (s) => s.split(",").map((x) => x.trim()).filter(Boolean);

async function saveTemplate() {
  state.files[state.file] = editor.state.doc.toString();
  const name = $("template-name").value.trim();
  if (!name) {
    status("A template needs a name.", true);
    return;
  }
  const body = { content: state.files, events: list($("template-events").value), allowed_caps: list($("template-caps").value),
    paused: !!state.template.paused };
  try {
    await api("PUT", `/guilds/${state.guild}/templates/${encodeURIComponent(name)}`, body);
    showCompileError(null);
    status(`Saved ${name}.`);
    $("save-state").textContent = "saved";
    const file = state.file;
    await loadTemplates(name);
    showFile(file);
  } catch (e) {
    $("save-state").textContent = "";
    if (!showCompileError(e.message)) status(e.message, true);
  }
}

// The API refuses a template that does not compile with the compiler's "/file:line:col: message" lines.
function showCompileError(message) {
  const box = $("editor-error");
  if (!message) {
    box.hidden = true;
    box.textContent = "";
    if (editor) editor.dispatch(setDiagnostics(editor.state, []));
    return false;
  }
  const m = /\/?([^\s:"]+\.luau?):(\d+):(\d+): (.*)/.exec(message);
  if (!m) return false;
  const [, file, line, col, text] = m;
  if (state.files[file] !== undefined && file !== state.file) showFile(file);
  const doc = editor.state.doc;
  const ln = doc.line(Math.min(Math.max(1, Number(line)), doc.lines));
  const from = Math.min(ln.from + Math.max(0, Number(col) - 1), ln.to);
  editor.dispatch(setDiagnostics(editor.state, [{ from, to: Math.max(from, ln.to), severity: "error", message: text }]));
  editor.dispatch({ selection: { anchor: from }, scrollIntoView: true });
  box.hidden = false;
  box.dataset.line = line;
  box.textContent = `${file} line ${line}, column ${col}: ${text}`;
  status("Not saved: the template does not compile.", true);
  return true;
}

async function togglePause() {
  const t = state.template;
  const body = { content: t.content, events: t.events, allowed_caps: t.allowed_caps, paused: !t.paused, error_channel: t.error_channel };
  try {
    await api("PUT", `/guilds/${state.guild}/templates/${encodeURIComponent(t.name)}`, body);
    status(`${t.name} ${t.paused ? "resumed" : "paused"}.`);
    await loadTemplates(t.name);
  } catch (e) {
    status(e.message, true);
  }
}

async function deleteTemplate() {
  const t = state.template;
  if (!confirm(`Delete template ${t.name}?`)) return;
  try {
    await api("DELETE", `/guilds/${state.guild}/templates/${encodeURIComponent(t.name)}`);
    status(`Deleted ${t.name}.`);
    state.template = null;
    await loadTemplates();
  } catch (e) {
    status(e.message, true);
  }
}

// ---------------------------------------------------------------------------------------------- mock channels

async function loadChannels() {
  const box = $("channels");
  if (!state.session.mock) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const base = `/dev/guilds/${state.guild}/mock`;
  const [channels, members] = await Promise.all([api("GET", `${base}/channels`), api("GET", `${base}/members`)]);
  const text = channels.filter((c) => c.type === 0);
  $("channel-select").replaceChildren(...text.map((c) => el("option", { value: c.id }, "#" + c.name)));
  const general = text.find((c) => c.name === "general") || text[0];
  state.channel = general ? general.id : null;
  if (general) $("channel-select").value = general.id;
  state.members = members.filter((m) => !m.user.bot);
  $("author-select").replaceChildren(...state.members.map((m) =>
    el("option", { value: m.user.id }, m.nick || m.user.global_name || m.user.username)));
  await loadMessages();
  clearInterval(state.pollTimer);
  // The bot's replies arrive in the mock, not over our WebSocket: refresh while the page is visible.
  state.pollTimer = setInterval(() => { if (!document.hidden) loadMessages().catch(() => {}); }, 1000);
}

async function loadMessages() {
  if (!state.channel) return;
  const msgs = await api("GET", `/dev/guilds/${state.guild}/mock/channels/${state.channel}/messages`);
  const box = $("messages");
  const atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - 20;
  box.replaceChildren(...msgs.map(renderMessage));
  if (atBottom) box.scrollTop = box.scrollHeight;
}

function renderMessage(m) {
  const author = m.author || {};
  return el("div", { class: author.bot ? "msg bot" : "msg", "data-id": m.id },
    el("div", { class: "msg-head" }, el("b", {}, author.global_name || author.username || "?"),
      author.bot ? el("span", { class: "tag" }, "BOT") : null, el("time", {}, (m.timestamp || "").replace("T", " ").slice(0, 19))),
    m.content ? el("div", { class: "msg-content" }, m.content) : null,
    (m.embeds || []).map(renderEmbed),
    (m.components || []).map(renderRow));
}

function renderEmbed(e) {
  const color = e.color ? "#" + e.color.toString(16).padStart(6, "0") : "#5865f2";
  return el("div", { class: "embed", style: `border-left-color: ${color}` },
    e.author?.name ? el("div", { class: "embed-author" }, e.author.name) : null,
    e.title ? el("div", { class: "embed-title" }, e.title) : null,
    e.description ? el("div", { class: "embed-desc" }, e.description) : null,
    (e.fields || []).map((f) => el("div", { class: f.inline ? "embed-field inline" : "embed-field" },
      el("div", { class: "embed-field-name" }, f.name), el("div", {}, f.value))),
    e.footer?.text ? el("div", { class: "embed-footer" }, e.footer.text) : null);
}

function renderRow(row) {
  return el("div", { class: "component-row" }, (row.components || []).map((c) => {
    if (c.type === 2) return el("button", { class: `dbutton style-${c.style || 1}`, disabled: c.disabled ? "" : null },
      c.emoji?.name ? c.emoji.name + " " : "", c.label || "");
    if (c.type === 3 || (c.type >= 5 && c.type <= 8)) {
      return el("select", { class: "dselect" }, el("option", {}, c.placeholder || "Select…"),
        (c.options || []).map((o) => el("option", { value: o.value }, o.label)));
    }
    return el("span", { class: "tag" }, `component type ${c.type}`);
  }));
}

async function sendMessage() {
  const input = $("message-input");
  const content = input.value;
  if (!content.trim()) return;
  const authorId = $("author-select").value;
  try {
    if (content.startsWith("/")) {
      const [command, ...rest] = content.slice(1).trim().split(/\s+/);
      const options = rest.length ? [{ name: "text", type: 3, value: rest.join(" ") }] : undefined;
      await api("POST", `/dev/guilds/${state.guild}/mock/interactions`,
        { command, channel_id: state.channel, user_id: authorId, options });
    } else {
      await api("POST", `/dev/guilds/${state.guild}/mock/channels/${state.channel}/messages`, { author_id: authorId, content });
    }
    input.value = "";
    await loadMessages();
  } catch (e) {
    status(e.message, true);
  }
}

// ---------------------------------------------------------------------------------------------- live panel

async function connectLive() {
  if (state.live) {
    state.live.onclose = null;
    state.live.close();
  }
  const guild = state.guild;
  $("live-log").replaceChildren();
  let ticket;
  try {
    ticket = (await api("POST", `/guilds/${guild}/live/tickets`)).ticket;
  } catch (e) {
    liveState("live panel unavailable: " + e.message);
    return;
  }
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(`${proto}//${location.host}/guilds/${guild}/live?ticket=${encodeURIComponent(ticket)}`);
  state.live = ws;
  ws.onopen = () => { liveState("live"); state.liveRetry = 0; };
  ws.onmessage = (m) => addLive(JSON.parse(m.data));
  ws.onclose = (e) => {
    if (state.live !== ws || state.guild !== guild) return;
    liveState(`disconnected (${e.code}${e.reason ? ": " + e.reason : ""}); reconnecting…`);
    const delay = Math.min(10000, 500 * 2 ** state.liveRetry++);
    setTimeout(() => { if (state.live === ws) connectLive(); }, delay);
  };
}

function liveState(text) {
  $("live-state").textContent = text;
  $("live-state").className = text === "live" ? "ok" : "";
}

function addLive(entry) {
  const box = $("live-log");
  const time = (entry.at || "").slice(11, 23);
  let body;
  if (entry.kind === "event") {
    body = [el("b", {}, entry.event), " dispatched", renderResults(entry.results)];
  } else if (entry.kind === "print") {
    body = [el("b", {}, entry.template || "?"), " printed: ", el("code", {}, entry.message)];
  } else {
    body = [el("b", {}, entry.template || "(tenant)"), entry.event ? ` on ${entry.event}` : "", ": ",
      el("span", { class: "error" }, entry.message), entry.traceback ? el("pre", { class: "traceback" }, entry.traceback) : null];
  }
  box.append(el("div", { class: `live-entry ${entry.kind}` }, el("time", {}, time), " ", body));
  while (box.children.length > 500) box.firstChild.remove();
  box.scrollTop = box.scrollHeight;
  if (entry.kind === "event") loadKv().catch(() => {});
}

function renderResults(results) {
  if (!Array.isArray(results) || !results.length) return el("span", { class: "muted" }, " (no template ran)");
  return el("ul", { class: "results" }, results.map((r) =>
    el("li", { class: r.type === "err" ? "error" : "" }, `${r.template ?? r.id}: ${r.type} `, el("code", {}, JSON.stringify(r.value)))));
}

// ---------------------------------------------------------------------------------------------- KV browser

async function loadKv() {
  const scope = $("kv-scope").value;
  const q = scope ? `?scope=${encodeURIComponent(scope)}` : "";
  const kv = await api("GET", `/guilds/${state.guild}/kv${q}`);
  const select = $("kv-scope");
  const current = select.value;
  select.replaceChildren(el("option", { value: "" }, "(all scopes)"), ...kv.scopes.map((s) => el("option", { value: s }, s)));
  select.value = kv.scopes.includes(current) ? current : "";
  $("kv-table").replaceChildren(
    el("tr", {}, el("th", {}, "scopes"), el("th", {}, "key"), el("th", {}, "value"), el("th", {}, "expires"), el("th", {}, "updated")),
    ...kv.records.map((r) => el("tr", { "data-key": r.key },
      el("td", {}, r.scopes.join(", ")), el("td", {}, r.key), el("td", {}, el("code", {}, JSON.stringify(r.value))),
      el("td", {}, r.expires_at ? r.expires_at.replace("T", " ").slice(0, 19) : "never"),
      el("td", {}, (r.last_updated_at || "").replace("T", " ").slice(0, 19)))));
}

// ---------------------------------------------------------------------------------------------- wiring

window.addEventListener("DOMContentLoaded", () => {
  makeEditor();
  $("save-btn").onclick = saveTemplate;
  $("pause-btn").onclick = togglePause;
  $("delete-btn").onclick = deleteTemplate;
  $("new-btn").onclick = () => {
    const name = prompt("Name of the new template");
    if (name) newTemplate(name.trim());
  };
  $("send-btn").onclick = sendMessage;
  $("message-input").addEventListener("keydown", (e) => { if (e.key === "Enter") sendMessage(); });
  $("channel-select").onchange = () => { state.channel = $("channel-select").value; loadMessages(); };
  $("kv-scope").onchange = () => loadKv();
  $("kv-refresh").onclick = () => loadKv();
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); saveTemplate(); }
  });
  start().catch((e) => status(e.message, true));
});
