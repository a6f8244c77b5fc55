// The drafting page: sign in with an API key, draft, review flagged spans, accept or reject.
//
// Server and user text only ever reaches the page through textContent, attribute values and
// form values (never innerHTML), so a draft cannot inject markup. The key lives in
// sessionStorage: it is gone when the tab closes, and never sits in localStorage or a cookie.

const KEY = "rai-assistant.key";
const $ = (id) => document.getElementById(id);

const state = { me: null, features: new Map(), draft: null, defaultModel: null };

// ------------------------------------------------------------------ DOM helpers

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function say(id, text) {
  $(id).textContent = text || "";
}

// ------------------------------------------------------------------ the API

class ApiError extends Error {
  constructor(status, message, retryAfter = null) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

function retrySeconds(header) {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const when = Date.parse(header);
  return Number.isNaN(when) ? null : Math.max(0, Math.ceil((when - Date.now()) / 1000));
}

function waitText(seconds) {
  if (seconds === null) return "a little while";
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

// Returns the JSON body of a successful response, or of a blocked draft (HTTP 422 with a draft
// in the body); anything else becomes an ApiError with the server's message.
async function api(method, path, body) {
  const headers = { accept: "application/json" };
  const token = sessionStorage.getItem(KEY);
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "The service cannot be reached. Check your connection and try again.");
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (response.ok) return data;
  if (data && typeof data.draft_id === "string" && data.status === "blocked") return data;
  const message = data && typeof data.error === "string" ? data.error : `HTTP ${response.status}`;
  if (response.status === 401) {
    signOut(`Your key was not accepted: ${message} Sign in again with a valid key.`);
  }
  if (response.status === 429 || response.status === 503) {
    const seconds = retrySeconds(response.headers.get("retry-after"));
    const why = response.status === 429 ? "Too many requests" : "The service is busy";
    throw new ApiError(response.status, `${why}: ${message} Try again in ${waitText(seconds)}.`, seconds);
  }
  throw new ApiError(response.status, message);
}

// Runs an action behind a button: disabled while it runs, and for the wait a 429/503 asks for.
async function run(button, errorId, action) {
  say(errorId, "");
  button.disabled = true;
  let hold = 0;
  try {
    await action();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 401) return;
    say(errorId, error.message);
    if (error.retryAfter) hold = Math.min(error.retryAfter, 600) * 1000;
  } finally {
    if (hold) setTimeout(() => { button.disabled = false; }, hold);
    else button.disabled = false;
  }
}

// ------------------------------------------------------------------ signing in and out

async function signIn(token, fromForm) {
  sessionStorage.setItem(KEY, token);
  let me;
  try {
    me = await api("GET", "/v1/me");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      if (fromForm) say("sign-in-error", `That key was not accepted: ${error.message}`);
      return;
    }
    sessionStorage.removeItem(KEY);
    say("sign-in-error", error.message);
    return;
  }
  state.me = me;
  $("api-key").value = "";
  say("sign-in-error", "");
  const roles = Array.isArray(me.roles) ? me.roles.join(", ") : "";
  say("whoami", `Signed in as ${me.name || me.subject || "?"} (${roles || "no roles"}) · tenant ${me.tenant || "?"}`);
  $("sign-in").hidden = true;
  $("session").hidden = false;
  $("workspace").hidden = false;
  const writes = Array.isArray(me.roles) && me.roles.some((r) => r === "writer" || r === "admin");
  $("compose").hidden = !writes;
  if (writes) await loadFeatures();
}

function signOut(message) {
  sessionStorage.removeItem(KEY);
  state.me = null;
  state.draft = null;
  $("workspace").hidden = true;
  $("session").hidden = true;
  $("result").hidden = true;
  $("sign-in").hidden = false;
  for (const id of ["whoami", "message", "draft-error", "review-error"]) say(id, "");
  $("api-key").value = "";
  say("sign-in-error", message || "");
  $("api-key").focus();
}

// ------------------------------------------------------------------ features and their fields

function featureList(data) {
  const raw = Array.isArray(data) ? data : data && (data.features ?? data);
  if (Array.isArray(raw)) return raw;
  return Object.entries(raw || {}).map(([name, spec]) => ({ name, ...spec }));
}

function schemaOf(spec) {
  return spec.schema || spec.input_schema || spec.json_schema || spec.inputs || { properties: {} };
}

async function loadFeatures() {
  let data;
  try {
    data = await api("GET", "/v1/features");
  } catch (error) {
    if (error instanceof ApiError && error.status !== 401) say("draft-error", error.message);
    return;
  }
  state.features = new Map(featureList(data).map((spec) => [spec.name, spec]));
  const select = $("feature");
  select.replaceChildren(
    ...[...state.features.values()].map((spec) => el("option", { value: spec.name, text: spec.title || spec.name })),
  );
  if (state.features.has("feedback")) select.value = "feedback";
  buildFields();
  // Offer a choice of model only when the server serves more than one.
  const models = Array.isArray(data.models) ? data.models : [];
  $("model").replaceChildren(...models.map((name) => el("option", { value: name, text: name })));
  if (data.default_model && models.includes(data.default_model)) $("model").value = data.default_model;
  state.defaultModel = data.default_model || null;
  $("model-choice").hidden = models.length < 2;
}

function resolve(schema, prop) {
  let node = prop;
  const seen = new Set();
  while (node && typeof node.$ref === "string" && !seen.has(node.$ref)) {
    seen.add(node.$ref);
    const name = node.$ref.split("/").pop();
    node = { ...((schema.$defs || schema.definitions || {})[name] || {}), ...node, $ref: undefined };
  }
  if (node && Array.isArray(node.anyOf)) {
    const real = node.anyOf.filter((v) => v && v.type !== "null");
    const nullable = real.length < node.anyOf.length;
    const inner = real.length ? resolve(schema, real[0]) : {};
    return { ...inner, ...node, anyOf: undefined, type: inner.type, enum: inner.enum, nullable };
  }
  return node || {};
}

function buildFields() {
  const spec = state.features.get($("feature").value);
  const box = $("fields");
  box.replaceChildren();
  say("feature-hint", spec ? spec.description || "" : "");
  if (!spec) return;
  const schema = schemaOf(spec);
  const required = new Set(schema.required || []);
  const notes = new Set(spec.notes_fields || spec.notes || []);
  for (const [name, raw] of Object.entries(schema.properties || {})) {
    const prop = resolve(schema, raw);
    const id = `field-${name}`;
    const hintId = `${id}-hint`;
    const isRequired = required.has(name);
    const labelText = `${prop.title || name}${isRequired ? "" : " (optional)"}`;
    const common = { id, name, "data-field": name, "aria-describedby": prop.description ? hintId : undefined };
    let control;
    if (Array.isArray(prop.enum)) {
      control = el("select", common);
      if (!isRequired && (prop.default === undefined || prop.default === null)) control.append(el("option", { value: "", text: "—" }));
      for (const value of prop.enum) control.append(el("option", { value, text: String(value).replaceAll("_", " ") }));
      if (prop.default !== undefined && prop.default !== null) control.value = prop.default;
    } else if (prop.type === "boolean") {
      control = el("input", { ...common, type: "checkbox" });
      control.checked = prop.default === true;
    } else if (notes.has(name) || prop.type === "array" || (prop.maxLength || 0) > 400) {
      control = el("textarea", { ...common, rows: 6, maxlength: prop.maxLength, "data-kind": prop.type === "array" ? "lines" : undefined });
    } else {
      const type = prop.format === "date" ? "date" : prop.type === "integer" || prop.type === "number" ? "number" : "text";
      control = el("input", { ...common, type, maxlength: prop.maxLength, "data-kind": type });
      if (typeof prop.default === "string" || typeof prop.default === "number") control.value = String(prop.default);
    }
    control.required = isRequired;
    if (isRequired) control.setAttribute("aria-required", "true");
    box.append(el("label", { for: id, text: labelText }), control);
    if (prop.description) box.append(el("p", { id: hintId, class: "hint", text: prop.description }));
  }
}

function collectInputs() {
  const inputs = {};
  for (const control of $("fields").querySelectorAll("[data-field]")) {
    const name = control.dataset.field;
    if (control.type === "checkbox") {
      inputs[name] = control.checked;
      continue;
    }
    const value = control.value;
    if (!value.trim()) continue; // an empty optional field is left out, not sent as ""
    if (control.dataset.kind === "lines") inputs[name] = value.split("\n").filter((line) => line.trim());
    else if (control.dataset.kind === "number") inputs[name] = Number(value);
    else inputs[name] = value;
  }
  return inputs;
}

// ------------------------------------------------------------------ showing a draft

const STATUS = {
  pending_review: "waiting for review",
  accepted: "accepted",
  rejected: "rejected",
  blocked: "blocked",
};
const VERDICT = { block: "Blocked", flag: "Flagged", advice: "Advice" };
const SEVERITY = { advice: 1, flag: 2, block: 3 };

// Python counts characters by code point, JavaScript by UTF-16 unit: slice by code point.
function markSpans(text, findings) {
  const chars = Array.from(text);
  const spans = [];
  findings.forEach((finding, index) => {
    const span = finding.span;
    if (!span || typeof span.text !== "string" || !span.text) return;
    let { start, end } = span;
    const fits = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= chars.length;
    if (!fits || chars.slice(start, end).join("") !== span.text) {
      const at = text.indexOf(span.text);
      if (at < 0) return;
      start = Array.from(text.slice(0, at)).length;
      end = start + Array.from(span.text).length;
    }
    spans.push({ start, end, findings: [index] });
  });
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) {
      last.end = Math.max(last.end, span.end);
      last.findings.push(...span.findings);
    } else merged.push(span);
  }
  const nodes = [];
  let cursor = 0;
  merged.forEach((span, n) => {
    if (span.start > cursor) nodes.push(document.createTextNode(chars.slice(cursor, span.start).join("")));
    const worst = span.findings.map((i) => findings[i].verdict).sort((a, b) => (SEVERITY[b] || 0) - (SEVERITY[a] || 0))[0];
    const mark = el("mark", {
      id: `mark-${n}`,
      tabindex: 0,
      class: `verdict-${worst}`,
      "aria-describedby": span.findings.map((i) => `finding-${i}`).join(" "),
      title: span.findings.map((i) => findings[i].message).join(" "),
      "data-findings": span.findings.join(" "),
    });
    mark.textContent = chars.slice(span.start, span.end).join("");
    nodes.push(mark);
    for (const i of span.findings) findings[i].markId = mark.id;
    cursor = span.end;
  });
  if (cursor < chars.length) nodes.push(document.createTextNode(chars.slice(cursor).join("")));
  return nodes;
}

function highlight(mark, on) {
  for (const i of (mark.dataset.findings || "").split(" ")) {
    const item = $(`finding-${i}`);
    if (item) item.classList.toggle("active", on);
  }
}

function findingItem(finding, index) {
  const clauses = (finding.clauses || []).join(", ");
  const item = el(
    "li",
    { id: `finding-${index}`, class: `finding verdict-${finding.verdict}` },
    el("p", { class: "finding-head" },
      el("strong", { text: VERDICT[finding.verdict] || finding.verdict }),
      ` · ${finding.guard}`,
      clauses ? el("span", { class: "clauses", text: ` · clause ${clauses}` }) : null),
  );
  if (finding.span && finding.span.text) {
    const quote = el("q", { text: finding.span.text });
    item.append(el("p", { class: "quote" }, quote));
    if (finding.markId) {
      const target = finding.markId;
      const show = el("button", { type: "button", class: "link", text: "Show in text" });
      show.setAttribute("aria-label", `Show in text: “${finding.span.text}”`);
      show.addEventListener("click", () => $(target) && $(target).focus());
      item.lastChild.append(" ", show);
    }
  }
  item.append(el("p", { class: "finding-message", text: finding.message }));
  if (finding.suggestion) {
    item.append(el("p", { class: "suggestion" }, el("strong", { text: "Suggestion: " }), finding.suggestion));
  }
  return item;
}

function labelRows(label) {
  const rows = [];
  const add = (name, value) => {
    if (value === undefined || value === null || value === "") return;
    rows.push(el("dt", { text: name }), el("dd", { text: typeof value === "string" ? value : JSON.stringify(value) }));
  };
  add("Status", label.status);
  add("Source type", label.digitalSourceType);
  add("Model", label.model);
  add("Created", label.created);
  add("Reviewed by", label.reviewer);
  add("Accepted", label.accepted);
  add("Content hash", label.contentHash);
  if (label.policy && typeof label.policy === "object") {
    add("Policy", Object.entries(label.policy).map(([id, version]) => `${id} (version ${version})`).join(", "));
  }
  if (Array.isArray(label.actions)) add("Actions", label.actions.map((a) => a.action).join(" → "));
  if (label.override) add("Override reason", label.override.reason);
  const shown = new Set([
    "notice", "status", "digitalSourceType", "model", "created", "reviewer", "accepted", "contentHash",
    "policy", "actions", "override", "draft", "feature",
  ]);
  for (const [name, value] of Object.entries(label)) {
    if (shown.has(name)) continue;
    if (value && typeof value === "object" && !Object.keys(value).length) continue;
    add(name, value);
  }
  return rows;
}

function showDraft(draft) {
  state.draft = draft;
  const findings = (draft.findings || []).filter((f) => f.verdict !== "score").map((f) => ({ ...f }));
  const blocked = draft.status === "blocked";
  $("result").hidden = false;
  say("draft-id", draft.draft_id);
  say("draft-status", STATUS[draft.status] || draft.status);
  $("draft-status").dataset.status = draft.status;
  say("review-error", "");

  $("refusal").hidden = !blocked;
  $("review-area").hidden = blocked;
  if (blocked) {
    say("refusal-text", draft.refusal || "This request was refused.");
    const ids = new Set();
    for (const f of findings) if (f.verdict === "block") for (const c of f.clauses || []) ids.add(c);
    for (const c of draft.citations || []) ids.add(c.clause);
    say("refusal-clauses", [...ids].join(", ") || "none given");
  }
  $("draft-text").replaceChildren(...(blocked ? [] : markSpans(draft.text || "", findings)));
  $("findings").replaceChildren(...findings.map(findingItem));
  $("findings-box").hidden = !findings.length;
  const cited = (draft.citations || []).map((c) => `${c.clause} (${c.title})`).join("; ");
  say("citations", !blocked && cited ? `Policy clauses consulted: ${cited}` : "");

  const label = draft.label;
  $("label").hidden = !label;
  say("notice", draft.notice || (label && label.notice) || "");
  $("label-fields").replaceChildren(...(label ? labelRows(label) : []));

  const pending = draft.status === "pending_review";
  $("accept-form").hidden = !pending;
  $("reject-form").hidden = !pending;
  $("edit-text").value = draft.text || "";
  $("override-reason").value = "";
  $("reject-reason").value = "";
  $("result-title").focus();
}

// ------------------------------------------------------------------ wiring

function draftPath(id, action = "") {
  return `/v1/drafts/${encodeURIComponent(id)}${action ? `/${action}` : ""}`;
}

function start() {
  $("sign-in-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = $("api-key").value.trim();
    if (!token) {
      say("sign-in-error", "Enter your API key.");
      return;
    }
    await signIn(token, true);
  });
  $("sign-out").addEventListener("click", () => signOut("You are signed out."));
  $("feature").addEventListener("change", buildFields);

  $("draft-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const feature = $("feature").value;
    if (!feature) return;
    run($("draft-button"), "draft-error", async () => {
      say("message", "Drafting…");
      try {
        const body = { inputs: collectInputs() };
        const model = $("model-choice").hidden ? "" : $("model").value;
        if (model && model !== state.defaultModel) body.model = model;
        showDraft(await api("POST", draftPath(feature), body));
      } finally {
        say("message", "");
      }
    });
  });

  $("open-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const id = $("open-id").value.trim();
    if (!id) return;
    run(event.submitter || $("open-form").querySelector("button"), "draft-error", async () => {
      showDraft(await api("GET", draftPath(id)));
    });
  });

  $("accept-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const draft = state.draft;
    if (!draft) return;
    const body = {};
    const text = $("edit-text").value;
    if (text !== draft.text) body.text = text;
    const reason = $("override-reason").value.trim();
    if (reason) body.override_reason = reason;
    run($("accept-button"), "review-error", async () => {
      try {
        showDraft(await api("POST", draftPath(draft.draft_id, "accept"), body));
      } catch (error) {
        if (error instanceof ApiError && error.status !== 401) error.message = `Not accepted: ${error.message}`;
        throw error;
      }
    });
  });

  $("reject-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const draft = state.draft;
    if (!draft) return;
    run($("reject-button"), "review-error", async () => {
      showDraft(await api("POST", draftPath(draft.draft_id, "reject"), { reason: $("reject-reason").value.trim() }));
    });
  });

  const draftText = $("draft-text");
  for (const [type, on] of [["focusin", true], ["focusout", false], ["mouseover", true], ["mouseout", false]]) {
    draftText.addEventListener(type, (event) => {
      if (event.target instanceof HTMLElement && event.target.tagName === "MARK") highlight(event.target, on);
    });
  }

  const saved = sessionStorage.getItem(KEY);
  if (saved) signIn(saved, false);
}

start();
