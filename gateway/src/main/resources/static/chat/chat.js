// The chat page: sign in with the gateway's local issuer, ask, read the answer as it streams, open its
// citations, rate it. Server text is only ever set with textContent, never parsed as HTML.
import { MESSAGES, languageFor } from './messages.js';

const TOKEN_KEY = 'kb.token'; // the same key as the issuer's own /auth/login page, so either login works
const USER_KEY = 'kb.user';
const LANGUAGE_KEY = 'kb.language';
// Earlier messages sent with a question: enough for follow-ups, bounded so a long chat stays a small request.
const HISTORY_LIMIT = 10;
const MARKERS = /\[(\d+(?:\s*,\s*\d+)*)\]/g;

const $ = (id) => document.getElementById(id);
const conversation = [];
let language = localStorage.getItem(LANGUAGE_KEY) || languageFor(navigator.language);
let inFlight = null;
let citationOpener = null;
let turnCount = 0;

// ---- words -------------------------------------------------------------------------------------------

const REASONS = {
  en: { healthy: 'healthy', eased: 'eased', cache_hit: 'cache hit', weak_evidence: 'weak evidence',
    circuit_open: 'circuit open', slow: 'slow', overloaded: 'overloaded', unavailable: 'unavailable',
    timeout: 'timed out', error: 'error' },
  zh: { healthy: '正常', eased: '减负', cache_hit: '命中缓存', weak_evidence: '证据不足',
    circuit_open: '熔断中', slow: '响应慢', overloaded: '过载', unavailable: '不可用', timeout: '超时', error: '出错' },
};

function t(key, params = {}) {
  const text = MESSAGES[language][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in params)) return whole;
    // A degradation reason is a code on the wire; shown in the reader's language when it is a known one.
    if (name === 'reason') return REASONS[language][params.reason] ?? String(params.reason).replaceAll('_', ' ');
    return String(params[name]);
  });
}

/** Sets an element's text from a message and remembers which, so a change of language can redo it. */
function say(element, key, params) {
  element.dataset.i18n = key;
  if (params) element.dataset.i18nArgs = JSON.stringify(params); else delete element.dataset.i18nArgs;
  element.textContent = t(key, params);
}

/** The same for an element's accessible name. */
function name(element, key, params) {
  element.dataset.i18nLabel = key;
  if (params) element.dataset.i18nLabelArgs = JSON.stringify(params); else delete element.dataset.i18nLabelArgs;
  element.setAttribute('aria-label', t(key, params));
}

function args(json) {
  return json ? JSON.parse(json) : undefined;
}

function applyLanguage() {
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  document.title = t('appTitle');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n, args(el.dataset.i18nArgs));
  for (const el of document.querySelectorAll('[data-i18n-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nLabel, args(el.dataset.i18nLabelArgs)));
  }
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  $('language').lang = t('otherLanguageTag');
}

// ---- signing in and out ------------------------------------------------------------------------------

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

function showSignIn(reasonKey) {
  $('chat').hidden = true;
  for (const id of ['who', 'new-conversation', 'sign-out']) $(id).hidden = true;
  $('sign-in').hidden = false;
  if (reasonKey) say($('sign-in-reason'), reasonKey); else $('sign-in-reason').textContent = '';
  ($('username').value ? $('password') : $('username')).focus();
}

function showChat() {
  $('sign-in').hidden = true;
  $('chat').hidden = false;
  for (const id of ['who', 'new-conversation', 'sign-out']) $(id).hidden = false;
  say($('who'), 'signedInAs', { user: sessionStorage.getItem(USER_KEY) || '' });
  $('question').focus();
}

async function signIn(event) {
  event.preventDefault();
  const reason = $('sign-in-reason');
  const username = $('username').value.trim();
  const password = $('password').value;
  if (!username || !password) {
    say(reason, 'missingCredentials');
    return;
  }
  $('sign-in-submit').disabled = true;
  say($('status'), 'signingIn');
  try {
    const response = await fetch('/auth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (response.ok) {
      const body = await response.json();
      sessionStorage.setItem(TOKEN_KEY, body.access_token);
      sessionStorage.setItem(USER_KEY, username);
      $('password').value = '';
      reason.textContent = '';
      $('status').textContent = '';
      showChat();
    } else if (response.status === 400 || response.status === 401) {
      say(reason, 'badCredentials');
      $('password').focus();
    } else if (response.status === 404) {
      say(reason, 'noIssuer');
    } else {
      say(reason, 'failedStatus', { status: response.status });
    }
  } catch {
    say(reason, 'unreachable');
  } finally {
    $('sign-in-submit').disabled = false;
  }
}

function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

function signOut() {
  inFlight?.abort();
  forgetToken();
  sessionStorage.removeItem(USER_KEY);
  clearConversation();
  showSignIn();
}

// ---- the conversation --------------------------------------------------------------------------------

function clearConversation() {
  inFlight?.abort();
  conversation.length = 0;
  $('conversation').replaceChildren();
  $('empty').hidden = false;
}

function newConversation() {
  clearConversation();
  $('question').value = '';
  say($('status'), 'newConversation');
  $('question').focus();
}

function addTurn(question) {
  const li = $('turn-template').content.firstElementChild.cloneNode(true);
  const n = ++turnCount;
  li.querySelector('.question').textContent = question;
  const comment = li.querySelector('.comment textarea');
  comment.id = `comment-${n}`;
  li.querySelector('.comment label').htmlFor = comment.id;
  $('conversation').append(li);
  $('empty').hidden = true;
  const turn = {
    question, text: '', citations: [], id: null, li,
    article: li.querySelector('.answer'),
    textElement: li.querySelector('.answer-text'),
  };
  li.querySelector('.feedback').addEventListener('click', (e) => chooseRating(turn, e));
  li.querySelector('.feedback').addEventListener('submit', (e) => sendRating(turn, e));
  turn.article.scrollIntoView({ block: 'nearest' });
  return turn;
}

function setBusy(busy) {
  $('send').disabled = busy;
  $('stop').hidden = !busy;
}

async function ask(question) {
  const turn = addTurn(question);
  const controller = new AbortController();
  inFlight = controller;
  setBusy(true);
  say($('status'), 'answering');
  const history = conversation.slice(-HISTORY_LIMIT);
  try {
    const response = await fetch('/api/v1/answers/stream', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token()}`,
        'Content-Type': 'application/json',
        Accept: 'text/event-stream',
      },
      body: JSON.stringify({ question, history, cache: true }),
      signal: controller.signal,
    });
    if (response.status === 401) {
      turn.li.remove();
      $('empty').hidden = $('conversation').childElementCount > 0;
      forgetToken();
      $('question').value = question;
      showSignIn('sessionExpired');
      return;
    }
    if (!response.ok) {
      await failFromResponse(turn, response);
      restoreQuestion(question);
      return;
    }
    let ended = false;
    await readEvents(response.body, (event, data) => {
      if (event === 'token') {
        turn.text += data.text ?? '';
        // While it streams, plain text: a marker may still be split across two pieces.
        turn.textElement.textContent = turn.text;
      } else if (event === 'citations') {
        turn.citations = data.citations ?? [];
        renderAnswerText(turn);
      } else if (event === 'done') {
        finish(turn, data, question);
        ended = true;
      } else if (event === 'error') {
        fail(turn, 'failed', { detail: data.detail || data.title || String(data.status) });
        ended = true;
      }
    });
    if (!ended) fail(turn, 'interrupted');
  } catch (e) {
    if (controller.signal.aborted) {
      fail(turn, 'stopped');
    } else {
      fail(turn, 'unreachable');
      restoreQuestion(question);
    }
  } finally {
    if (inFlight === controller) inFlight = null;
    setBusy(false);
  }
}

function restoreQuestion(question) {
  if (!$('question').value) $('question').value = question;
}

/**
 * Reads a text/event-stream body and calls onEvent(name, parsedJson) for each complete event. The answers
 * API is a POST, which EventSource cannot send, so the stream is parsed here (the WHATWG format).
 */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = 'message';
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n')) >= 0) {
      let line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '') {
        if (data.length > 0) {
          let parsed;
          try {
            parsed = JSON.parse(data.join('\n'));
          } catch {
            parsed = null;
          }
          if (parsed !== null) onEvent(event, parsed);
        }
        event = 'message';
        data = [];
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let content = colon < 0 ? '' : line.slice(colon + 1);
        if (content.startsWith(' ')) content = content.slice(1);
        if (field === 'event') event = content;
        else if (field === 'data') data.push(content);
      }
    }
  }
}

/** The answer's text with each citation marker it can resolve as a button that opens the cited passage. */
function renderAnswerText(turn) {
  const el = turn.textElement;
  el.replaceChildren();
  const byMarker = new Map(turn.citations.map((c) => [c.marker, c]));
  let last = 0;
  for (const match of turn.text.matchAll(MARKERS)) {
    const numbers = match[1].split(',').map((s) => Number(s.trim()));
    if (!numbers.some((n) => byMarker.has(n))) continue;
    el.append(document.createTextNode(turn.text.slice(last, match.index)));
    for (const n of numbers) {
      const citation = byMarker.get(n);
      if (citation) {
        el.append(citationButton(citation, ['marker', 'secondary'], String(n)));
      } else {
        el.append(document.createTextNode(`[${n}]`));
      }
    }
    last = match.index + match[0].length;
  }
  el.append(document.createTextNode(turn.text.slice(last)));
}

function citationButton(citation, classes, text) {
  const button = document.createElement('button');
  button.type = 'button';
  button.classList.add(...classes);
  button.textContent = text;
  button.dataset.marker = String(citation.marker);
  name(button, 'citationButton', { marker: citation.marker, title: citation.title || citation.documentId });
  button.addEventListener('click', () => openCitation(citation, button));
  return button;
}

function finish(turn, response, question) {
  turn.text = response.answer ?? turn.text; // the checked text replaces what streamed
  turn.citations = response.citations ?? turn.citations;
  turn.id = response.id ?? null;
  renderAnswerText(turn);
  turn.article.classList.toggle('dont-know', Boolean(response.dontKnow));
  turn.li.querySelector('.dont-know-label').hidden = !response.dontKnow;
  renderBadges(turn, response);
  renderSources(turn);
  turn.li.querySelector('.feedback').hidden = !turn.id;
  turn.article.setAttribute('aria-busy', 'false');
  conversation.push({ role: 'user', content: question }, { role: 'assistant', content: turn.text });
  say($('status'), 'answered');
}

function renderBadges(turn, response) {
  const badges = turn.li.querySelector('.badges');
  badges.replaceChildren();
  const badge = (key, params, kind) => {
    const span = document.createElement('span');
    span.className = kind ? `badge ${kind}` : 'badge';
    say(span, key, params);
    badges.append(span);
    return span;
  };
  if (response.tier && response.tier !== 'none') {
    badge('answeredBy', { tier: response.tier }, 'tier');
  } else {
    badge('noTier', { reason: response.reason ?? 'weak_evidence' }, 'tier');
  }
  if (response.degraded) {
    const span = badge('degradedFrom', { from: response.degraded.from, reason: response.degraded.reason }, 'degraded');
    if (response.degraded.detail) span.title = response.degraded.detail;
  }
  if (response.cached) badge('fromCache', null, 'cached');
  const total = response.timings?.total;
  if (typeof total === 'number') badge('took', { seconds: (total / 1000).toFixed(1) }, 'timing');
}

function renderSources(turn) {
  const box = turn.li.querySelector('.sources');
  const list = box.querySelector('.source-list');
  list.replaceChildren();
  for (const citation of turn.citations) {
    const li = document.createElement('li');
    li.value = citation.marker;
    li.append(citationButton(citation, ['source'], citation.title || citation.documentId));
    const meta = document.createElement('span');
    meta.className = 'source-meta';
    meta.append(document.createTextNode(` · ${citation.documentId}`));
    if (citation.page != null) {
      meta.append(document.createTextNode(' · '));
      const page = document.createElement('span');
      say(page, 'page', { page: citation.page });
      meta.append(page);
    }
    li.append(meta);
    list.append(li);
  }
  box.hidden = turn.citations.length === 0;
}

function fail(turn, key, params) {
  turn.article.classList.add('error');
  turn.article.setAttribute('aria-busy', 'false');
  turn.textElement.replaceChildren();
  say(turn.textElement, key, params);
  say($('status'), key, params);
}

async function failFromResponse(turn, response) {
  if (response.status === 429) {
    const seconds = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    if (Number.isFinite(seconds)) fail(turn, 'tooManyRequests', { seconds });
    else fail(turn, 'tooManyRequestsLater');
    return;
  }
  let detail = null;
  try {
    const problem = await response.json();
    detail = problem.detail || problem.title;
  } catch {
    // not a problem document; the status says enough
  }
  if (detail) fail(turn, 'failed', { detail });
  else fail(turn, 'failedStatus', { status: response.status });
}

// ---- citations ---------------------------------------------------------------------------------------

function openCitation(citation, opener) {
  citationOpener = opener;
  $('citation-title').textContent = citation.title || citation.documentId;
  $('citation-document').textContent = citation.documentId;
  const page = $('citation-page');
  if (citation.page != null) {
    delete page.dataset.i18n;
    page.textContent = String(citation.page);
  } else {
    say(page, 'noPage');
  }
  $('citation-passage').textContent = citation.text ?? '';
  const dialog = $('citation');
  dialog.dataset.marker = String(citation.marker);
  if (!dialog.open) dialog.showModal();
  $('citation-close').focus();
}

function closeCitation() {
  $('citation').close();
}

// ---- ratings -----------------------------------------------------------------------------------------

function chooseRating(turn, event) {
  const button = event.target.closest('button.rate');
  if (!button || button.disabled) return;
  for (const b of turn.li.querySelectorAll('button.rate')) {
    b.setAttribute('aria-pressed', String(b === button));
  }
  turn.rating = button.dataset.rating;
  const comment = turn.li.querySelector('.comment');
  comment.hidden = false;
  comment.querySelector('textarea').focus();
}

async function sendRating(turn, event) {
  event.preventDefault();
  if (!turn.rating || !turn.id) return;
  const form = turn.li.querySelector('.feedback');
  const status = form.querySelector('.feedback-status');
  const comment = form.querySelector('textarea').value.trim();
  const submit = form.querySelector('.comment button');
  submit.disabled = true;
  try {
    const response = await fetch(`/api/v1/answers/${encodeURIComponent(turn.id)}/feedback`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token()}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(comment ? { rating: turn.rating, comment } : { rating: turn.rating }),
    });
    if (response.status === 401) {
      forgetToken();
      showSignIn('sessionExpired');
      return;
    }
    if (response.ok) {
      say(status, 'ratingSent');
      for (const b of form.querySelectorAll('button')) b.disabled = true;
      form.querySelector('textarea').disabled = true;
      return;
    }
    say(status, 'ratingFailed', { status: response.status });
  } catch {
    say(status, 'unreachable');
  } finally {
    if (!form.querySelector('textarea').disabled) submit.disabled = false;
  }
}

// ---- wiring ------------------------------------------------------------------------------------------

function onQuestionKey(event) {
  // Enter sends; Shift+Enter is a new line; Enter that confirms an input method's candidate is neither.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
    event.preventDefault();
    $('ask-form').requestSubmit();
  }
}

function onAsk(event) {
  event.preventDefault();
  const question = $('question').value.trim();
  if (!question || inFlight) return;
  if (!token()) {
    showSignIn('sessionExpired');
    return;
  }
  $('question').value = '';
  ask(question);
}

function start() {
  applyLanguage();
  $('sign-in-form').addEventListener('submit', signIn);
  $('ask-form').addEventListener('submit', onAsk);
  $('question').addEventListener('keydown', onQuestionKey);
  $('stop').addEventListener('click', () => inFlight?.abort());
  $('new-conversation').addEventListener('click', newConversation);
  $('sign-out').addEventListener('click', signOut);
  $('language').addEventListener('click', () => {
    language = language === 'zh' ? 'en' : 'zh';
    localStorage.setItem(LANGUAGE_KEY, language);
    applyLanguage();
  });
  const dialog = $('citation');
  $('citation-close').addEventListener('click', closeCitation);
  // A click on the backdrop is reported on the dialog itself, at a point outside its box.
  dialog.addEventListener('click', (e) => {
    if (e.target !== dialog) return;
    const box = dialog.getBoundingClientRect();
    const inside = e.clientX >= box.left && e.clientX <= box.right && e.clientY >= box.top && e.clientY <= box.bottom;
    if (!inside) closeCitation();
  });
  dialog.addEventListener('close', () => {
    citationOpener?.focus();
    citationOpener = null;
  });
  if (token()) showChat(); else showSignIn();
}

start();
