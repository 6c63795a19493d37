/*!
 * dx-advisor chat widget: plain JavaScript, no dependencies, no build step.
 *
 * Embed with one line on any page:
 *   <script src="https://BOT-HOST/webchat/widget.js" data-server="https://BOT-HOST" defer></script>
 *
 * Options (data attributes on that script tag):
 *   data-server    bot server base URL (missing or empty: the origin of this script)
 *   data-title     panel title (default "Chat with us", in Chinese when the widget is)
 *   data-lang      the widget's language to start with: "zh", "zh-CN"... for Chinese, anything else for
 *                  English (default: the browser's language). After that it follows the assistant's
 *                  replies, and it goes with every message as {"language": ...}
 *   data-accent    CSS colour for the launcher, header and user bubbles (default #1f6feb)
 *   data-greeting  "on" (default) / "off": when an empty chat is first opened, ask the server for
 *                  its greeting ({"opened": true}), so the assistant speaks first
 *   data-open      "true" to start opened (default "false")
 *   data-position  "right" (default) or "left"
 *
 * Everything lives in a Shadow DOM under <div id="dx-advisor-widget">; the only global is
 * the frozen window.dxAdvisorWidget = {open(), close()}.
 * Message text is never parsed as HTML: nodes are built with textContent.
 * The file is plain ASCII so it works whatever charset the host page declares: Chinese is written
 * as \u escapes.
 */
(function () {
  'use strict';

  // currentScript is only set while this file first runs, so read every option now.
  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  if (window.dxAdvisorWidget || document.getElementById('dx-advisor-widget')) return; // embedded twice

  var TIMEOUT_MS = 15000;
  var DEFAULT_ACCENT = '#1f6feb';

  var config = readConfig(script);
  var storageKey = 'dxAdvisor:' + config.origin;

  function attr(name) {
    var value = script && script.getAttribute('data-' + name);
    return value == null ? '' : value.trim();
  }

  function readConfig() {
    var scriptUrl = script && script.src ? new URL(script.src, document.baseURI) : new URL(location.href);
    var server;
    try {
      server = new URL(attr('server') || scriptUrl.origin, document.baseURI);
    } catch (e) {
      server = new URL(scriptUrl.origin);
    }
    var accent = attr('accent');
    var supports = window.CSS && CSS.supports;
    return {
      server: (server.origin + server.pathname).replace(/\/+$/, ''),
      origin: server.origin,
      title: attr('title'),
      lang: languageFromTag(attr('lang') || navigator.language),
      accent: accent && supports && CSS.supports('color', accent) ? accent : DEFAULT_ACCENT,
      greeting: attr('greeting').toLowerCase() !== 'off',
      startOpen: attr('open').toLowerCase() === 'true',
      left: attr('position').toLowerCase() === 'left'
    };
  }

  /* ---------- the widget's own words, English and Chinese side by side ---------- */

  var STRINGS = {
    htmlLang: { en: 'en', zh: 'zh-CN' },
    title: { en: 'Chat with us', zh: '\u5728\u7ebf\u54a8\u8be2' },
    openChat: { en: 'Open chat', zh: '\u6253\u5f00\u804a\u5929' },
    closeChat: { en: 'Close chat', zh: '\u5173\u95ed\u804a\u5929' },
    close: { en: 'Close', zh: '\u5173\u95ed' },
    restart: { en: 'Restart conversation', zh: '\u91cd\u65b0\u5f00\u59cb\u5bf9\u8bdd' },
    conversation: { en: 'Conversation', zh: '\u5bf9\u8bdd\u5185\u5bb9' },
    inputLabel: { en: 'Type your message', zh: '\u8f93\u5165\u6d88\u606f' },
    placeholder: { en: 'Type your message\u2026', zh: '\u8bf7\u8f93\u5165\u6d88\u606f\u2026' },
    send: { en: 'Send', zh: '\u53d1\u9001' },
    retry: { en: 'Retry', zh: '\u91cd\u8bd5' },
    cantReach: {
      en: "Can't reach the assistant right now.",
      zh: '\u6682\u65f6\u8fde\u4e0d\u4e0a\u52a9\u624b\uff0c\u8bf7\u7a0d\u540e\u518d\u8bd5\u3002'
    },
    typing: { en: 'Assistant is typing', zh: '\u52a9\u624b\u6b63\u5728\u8f93\u5165' },
    replies: { en: 'Suggested replies', zh: '\u63a8\u8350\u56de\u590d' },
    image: { en: 'Image from the assistant', zh: '\u52a9\u624b\u53d1\u6765\u7684\u56fe\u7247' },
    download: { en: 'Download', zh: '\u4e0b\u8f7d' }
  };
  // The page's own title is its name: the same in both languages.
  if (config.title) STRINGS.title = { en: config.title, zh: config.title };

  var lang = config.lang;

  function t(key) {
    return STRINGS[key][lang];
  }

  // Chinese for any zh tag ("zh", "zh-CN", "zh_TW"), else English: the assistant speaks only these two.
  function languageFromTag(tag) {
    return /^zh(?:[-_]|$)/i.test(String(tag || '').trim()) ? 'zh' : 'en';
  }

  // bot/nlu/language.py's script_language in a few lines: Chinese characters (number and money words
  // aside) and no English word is Chinese; English words and no Chinese character is English; both or
  // neither (or Japanese/Korean) say nothing. Links are left out: a URL in a Chinese reply is not English.
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;
  var NUMERIC_HAN = '\u96f6\u3007\u4e00\u4e8c\u4e24\u4e09\u56db\u4e94\u516d\u4e03\u516b\u4e5d\u5341' +
    '\u767e\u5343\u4e07\u4ebf\u5143\u5757';
  var LATIN_WORD = /[A-Za-z]{2,}/;
  var KANA_HANGUL = /[\u3040-\u30ff\u31f0-\u31ff\u1100-\u11ff\uac00-\ud7af]/;

  function scriptLanguage(text) {
    text = String(text).replace(/https?:\/\/\S+/gi, ' ');
    if (KANA_HANGUL.test(text)) return null;
    var chinese = (text.match(HAN) || []).some(function (ch) { return NUMERIC_HAN.indexOf(ch) < 0; });
    var english = LATIN_WORD.test(text);
    if (chinese === english) return null;
    return chinese ? 'zh' : 'en';
  }

  /* ---------- styles (all inside the shadow root) ---------- */

  var CSS_TEXT = [
    ':host{all:initial}',
    '*,*::before,*::after{box-sizing:border-box}',
    '[hidden]{display:none!important}',
    '.root{--dx-accent:' + DEFAULT_ACCENT + ';--dx-on-accent:#fff;--dx-focus:var(--dx-accent);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1b1f24}',
    'button{font:inherit}',
    ':focus-visible{outline:3px solid var(--dx-focus);outline-offset:2px}',
    '.launcher{position:fixed;bottom:20px;right:20px;z-index:2147483000;width:56px;height:56px;padding:0;border:0;border-radius:50%;background:var(--dx-accent);color:var(--dx-on-accent);box-shadow:0 4px 14px rgba(0,0,0,.28);cursor:pointer;display:flex;align-items:center;justify-content:center}',
    '.launcher:focus-visible{outline:3px solid #1b1f24;outline-offset:3px;box-shadow:0 0 0 3px #fff}',
    '.launcher svg{width:28px;height:28px}',
    '.panel{position:fixed;bottom:88px;right:20px;z-index:2147483001;width:370px;height:560px;max-width:calc(100vw - 40px);max-height:calc(100vh - 108px);display:flex;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.3);overflow:hidden}',
    '.left .launcher,.left .panel{right:auto;left:20px}',
    '.header{display:flex;align-items:center;gap:2px;padding:8px 8px 8px 16px;background:var(--dx-accent);color:var(--dx-on-accent)}',
    '.title{flex:1;margin:0;font-size:16px;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}',
    '.icon-btn{width:38px;height:38px;padding:0;border:0;border-radius:8px;background:transparent;color:inherit;cursor:pointer;display:inline-flex;align-items:center;justify-content:center}',
    '.icon-btn:hover{background:rgba(127,127,127,.3)}',
    '.icon-btn:focus-visible{outline-color:var(--dx-on-accent);outline-offset:-3px}',
    '.icon-btn svg{width:20px;height:20px}',
    'svg{fill:none;stroke:currentColor;stroke-width:2.2;stroke-linecap:round;stroke-linejoin:round}',
    'svg.filled{fill:currentColor;stroke:none}',
    '.messages{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:14px;display:flex;flex-direction:column;gap:8px;background:#f6f8fa}',
    '.msg{max-width:85%;padding:8px 12px;border-radius:14px;overflow-wrap:anywhere}',
    '.msg[data-sender=bot]{align-self:flex-start;background:#fff;border:1px solid #d0d7de;border-bottom-left-radius:4px}',
    '.msg[data-sender=user]{align-self:flex-end;background:var(--dx-accent);color:var(--dx-on-accent);border-bottom-right-radius:4px;white-space:pre-wrap}',
    '.messages:focus-visible{outline-offset:-3px}',
    '.msg p{margin:0}',
    '.msg ul,.msg ol{margin:4px 0;padding-left:22px}',
    '.msg a{color:#0550ae}',
    '.msg img{display:block;max-width:100%;height:auto;border-radius:8px;margin:4px 0}',
    '.msg a.file{display:block;margin:6px 0 2px;font-weight:600;word-break:break-all}',
    '.replies{align-self:flex-start;max-width:92%;display:flex;flex-wrap:wrap;gap:6px}',
    '.reply{padding:6px 12px;border:2px solid var(--dx-accent);border-radius:16px;background:#fff;color:#1b1f24;font-size:14px;cursor:pointer}',
    '.reply:hover:not(:disabled){background:var(--dx-accent);color:var(--dx-on-accent)}',
    '.reply:disabled{opacity:.5;cursor:default}',
    '.typing{align-self:flex-start;display:flex;gap:4px;padding:12px 14px;background:#fff;border:1px solid #d0d7de;border-radius:14px}',
    '.typing span{width:7px;height:7px;border-radius:50%;background:#57606a;animation:dx-dot 1.2s infinite ease-in-out}',
    '.typing span:nth-child(2){animation-delay:.15s}',
    '.typing span:nth-child(3){animation-delay:.3s}',
    '@keyframes dx-dot{0%,60%,100%{transform:translateY(0);opacity:.4}30%{transform:translateY(-4px);opacity:1}}',
    '@media (prefers-reduced-motion:reduce){.typing span{animation:none}}',
    '.notice{align-self:stretch;display:flex;flex-wrap:wrap;align-items:center;gap:8px;padding:8px 10px;border:1px solid #d4a72c;border-radius:8px;background:#fff8c5;color:#3b2e00;font-size:14px}',
    '.retry{padding:4px 12px;border:1px solid #3b2e00;border-radius:6px;background:#fff;color:#3b2e00;cursor:pointer}',
    '.composer{display:flex;gap:8px;padding:10px;border-top:1px solid #d0d7de;background:#fff}',
    '.input{flex:1;min-width:0;padding:9px 14px;border:1px solid #8c959f;border-radius:20px;background:#fff;color:#1b1f24;font:inherit;font-size:16px}',
    '.input:focus-visible{outline-offset:0}',
    '.send{padding:0 16px;border:0;border-radius:20px;background:var(--dx-accent);color:var(--dx-on-accent);font-weight:600;cursor:pointer}',
    // Phones: the open panel takes the whole screen and covers the launcher.
    '@media (max-width:479.98px){.root .panel{top:0;right:0;bottom:0;left:0;width:100%;height:100%;max-width:none;max-height:none;border-radius:0}.open .launcher{display:none}}'
  ].join('\n');

  /* ---------- small DOM helpers ---------- */

  function setProp(node, key, value) {
    if (key === 'text') node.textContent = value;
    else if (key === 'className') node.className = value;
    else node.setAttribute(key, value);
  }

  // el('button', {className: 'x', text: 'Hi', 'aria-label': '...'}, [children])
  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) { setProp(node, key, props[key]); });
    (children || []).forEach(function (child) { node.append(child); });
    return node;
  }

  // The widget's lasting parts take their words from STRINGS through here, so a language switch
  // can relabel them: labelled(el('button'), {text: 'send'}).
  var labels = [];

  function labelled(node, keys) {
    Object.keys(keys).forEach(function (prop) {
      labels.push({ node: node, prop: prop, key: keys[prop] });
      setProp(node, prop, t(keys[prop]));
    });
    return node;
  }

  function relabel() {
    labels.forEach(function (l) { setProp(l.node, l.prop, t(l.key)); });
  }

  function icon(path, filled) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    if (filled) svg.setAttribute('class', 'filled');
    var p = document.createElementNS(ns, 'path');
    p.setAttribute('d', path);
    svg.append(p);
    return svg;
  }

  var ICON_CHAT = 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H10l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z';
  var ICON_CLOSE = 'M6 6l12 12M18 6L6 18';
  var ICON_RESTART = 'M4 12a8 8 0 1 0 2.6-5.9M4 4v5h5';

  // Only absolute http(s) URLs become links or images; anything else stays text.
  function safeUrl(value) {
    try {
      var url = new URL(String(value));
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /* ---------- message formatting: our own tiny parser, output is DOM nodes ---------- */

  var INLINE = /\*(?=[^*\s])([^*\n]*?[^*\s])\*|(https?:\/\/[^\s<>"*]+)/gi;

  // Sentence punctuation after a URL ("see https://x.com.") is not part of it.
  function trimUrl(url) {
    for (;;) {
      var last = url.slice(-1);
      var unbalanced = last === ')' && url.split('(').length < url.split(')').length;
      if (!/[.,;:!?'\]]/.test(last) && !unbalanced) return url;
      url = url.slice(0, -1);
    }
  }

  // *bold* and bare URLs inside one line.
  function appendInline(parent, text) {
    var pos = 0;
    Array.from(text.matchAll(INLINE)).forEach(function (m) {
      if (m.index < pos) return;
      parent.append(text.slice(pos, m.index));
      if (m[1] !== undefined) {
        var strong = el('strong');
        appendInline(strong, m[1]);
        parent.append(strong);
        pos = m.index + m[0].length;
      } else {
        var url = trimUrl(m[2]);
        var href = safeUrl(url);
        parent.append(href ? el('a', { href: href, target: '_blank', rel: 'noopener noreferrer', text: url }) : url);
        pos = m.index + url.length;
      }
    });
    parent.append(text.slice(pos));
  }

  // Group lines into blocks: plain text (<p> with <br>), "- "/"\u2022 " bullets (<ul>), "1. " steps (<ol>).
  function toBlocks(text) {
    var blocks = [];
    String(text).replace(/\r\n?/g, '\n').split('\n').forEach(function (line) {
      var bullet = /^\s*[-\u2022] +(.*)$/.exec(line);
      var numbered = !bullet && /^\s*(\d{1,9})\. +(.*)$/.exec(line);
      var kind = bullet ? 'ul' : numbered ? 'ol' : 'p';
      var prev = blocks[blocks.length - 1];
      if (!prev || prev.kind !== kind) blocks.push(prev = { kind: kind, items: [] });
      if (bullet) prev.items.push({ text: bullet[1] });
      else if (numbered) prev.items.push({ text: numbered[2], value: numbered[1] });
      else prev.items.push({ text: line });
    });
    return blocks;
  }

  function formatText(text) {
    var frag = document.createDocumentFragment();
    toBlocks(text).forEach(function (block) {
      if (block.kind === 'p') {
        var lines = block.items.map(function (item) { return item.text; });
        while (lines.length && !lines[0].trim()) lines.shift(); // blank lines around lists
        while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
        if (!lines.length) return;
        var p = el('p');
        lines.forEach(function (line, i) {
          if (i) p.append(el('br'));
          appendInline(p, line);
        });
        frag.append(p);
        return;
      }
      var list = el(block.kind);
      block.items.forEach(function (item) {
        var li = el('li', item.value ? { value: item.value } : null);
        appendInline(li, item.text);
        list.append(li);
      });
      frag.append(list);
    });
    return frag;
  }

  /* ---------- token storage (localStorage may be blocked: fall back to memory) ---------- */

  var token = loadToken();

  function loadToken() {
    try {
      var saved = JSON.parse(localStorage.getItem(storageKey) || 'null');
      return saved && typeof saved.token === 'string' ? saved.token : null;
    } catch (e) {
      return null;
    }
  }

  function saveToken(value) {
    token = value;
    try {
      localStorage.setItem(storageKey, JSON.stringify({ token: value }));
    } catch (e) { /* private mode: the session lasts for this page only */ }
  }

  /* ---------- server API ---------- */

  // A failed call: `text` is what the visitor sees; `retry` says whether Retry makes sense.
  function Failure(text, retry) {
    this.text = text;
    this.retry = retry;
  }

  // 4xx replies carry a friendly {"error"} to show; anything else means "can't reach".
  function failureFrom(res) {
    var error = res && res.data && res.data.error;
    if (res && res.status >= 400 && res.status < 500 && typeof error === 'string' && error) {
      return new Failure(error, false);
    }
    return new Failure(t('cantReach'), true);
  }

  // One HTTP call with a timeout. Resolves {ok, status, data}; network errors reject.
  function request(method, path, body, auth) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    // The server's own notices (too fast, too long...) come in our language, on GETs too.
    var headers = { 'Accept-Language': lang };
    if (auth) headers.Authorization = 'Bearer ' + auth;
    if (body) headers['Content-Type'] = 'application/json';
    return fetch(config.server + path, {
      method: method,
      headers: headers,
      body: body ? JSON.stringify(body) : undefined,
      credentials: 'omit',
      signal: controller.signal
    }).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (data) {
        return { ok: res.ok, status: res.status, data: data };
      });
    }).catch(function () {
      throw new Failure(t('cantReach'), true);
    }).finally(function () {
      clearTimeout(timer);
    });
  }

  // New session; its token is stored only if no Restart happened meanwhile.
  function newSession(gen) {
    return request('POST', '/webchat/session').then(function (res) {
      if (!res.ok || !res.data || typeof res.data.token !== 'string') throw failureFrom(res);
      if (gen === generation) saveToken(res.data.token);
      return res.data.token;
    });
  }

  // A call with the session token; an expired token gets one new session and one retry.
  function authed(method, path, body, gen) {
    var first = token ? Promise.resolve(token) : newSession(gen);
    return first.then(function (tok) {
      return request(method, path, body, tok);
    }).then(function (res) {
      if (res.status !== 401) return res;
      return newSession(gen).then(function (tok) { return request(method, path, body, tok); });
    }).then(function (res) {
      if (!res.ok) throw failureFrom(res);
      return res.data || {};
    });
  }

  /* ---------- state ---------- */

  var generation = 0;   // bumped by Restart so late replies from the old chat are dropped
  var busy = false;     // one request at a time keeps the conversation in order
  var failed = null;    // the last send that failed with Retry offered
  var greetTried = false;
  var isOpen = false;

  /* ---------- building the widget ---------- */

  var host = el('div', { id: 'dx-advisor-widget', style: 'all: initial' });
  var shadow = host.attachShadow({ mode: 'open' });
  var style = el('style', { text: CSS_TEXT });

  var launcher = labelled(el('button', {
    type: 'button', className: 'launcher', 'data-testid': 'launcher',
    'aria-expanded': 'false', 'aria-controls': 'dx-panel'
  }, [icon(ICON_CHAT, true)]), { 'aria-label': 'openChat' });

  var restartBtn = labelled(el('button', {
    type: 'button', className: 'icon-btn', 'data-testid': 'restart'
  }, [icon(ICON_RESTART)]), { 'aria-label': 'restart', title: 'restart' });

  var closeBtn = labelled(el('button', {
    type: 'button', className: 'icon-btn', 'data-testid': 'close'
  }, [icon(ICON_CLOSE)]), { 'aria-label': 'closeChat', title: 'close' });

  var messages = labelled(el('div', {
    className: 'messages', 'data-testid': 'messages', role: 'log', 'aria-live': 'polite', tabindex: '0'
  }), { 'aria-label': 'conversation' });

  var input = labelled(el('input', {
    type: 'text', className: 'input', 'data-testid': 'input', autocomplete: 'off', enterkeyhint: 'send'
  }), { 'aria-label': 'inputLabel', placeholder: 'placeholder' });
  var sendBtn = labelled(el('button', { type: 'submit', className: 'send', 'data-testid': 'send' }), { text: 'send' });
  var composer = el('form', { className: 'composer' }, [input, sendBtn]);

  var heading = labelled(el('h2', { className: 'title' }), { text: 'title' });
  var panel = labelled(el('div', { id: 'dx-panel', className: 'panel', 'data-testid': 'panel', role: 'dialog' }, [
    el('div', { className: 'header' }, [heading, restartBtn, closeBtn]),
    messages,
    composer
  ]), { 'aria-label': 'title' });
  panel.hidden = true;

  // lang (zh-CN, not zh) also picks Simplified Chinese glyphs for the Chinese text.
  var root = labelled(el('div', { className: 'root' + (config.left ? ' left' : '') }, [launcher, panel]),
    { lang: 'htmlLang' });
  root.style.setProperty('--dx-accent', config.accent);
  shadow.append(style, root);

  // White text on the accent unless dark text reads better (very light accents).
  function pickTextColour() {
    var match = /(\d+(?:\.\d+)?)\D+(\d+(?:\.\d+)?)\D+(\d+(?:\.\d+)?)/.exec(getComputedStyle(launcher).backgroundColor);
    if (!match) return;
    var lum = [1, 2, 3].map(function (i) {
      var c = match[i] / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    var L = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
    var onWhite = 1.05 / (L + 0.05);
    var onBlack = (L + 0.05) / 0.05;
    if (onBlack > onWhite * 1.5) {
      root.style.setProperty('--dx-on-accent', '#1b1f24');
      root.style.setProperty('--dx-focus', '#1b1f24'); // a light accent ring would vanish on white
    }
  }

  /* ---------- rendering ---------- */

  function scrollToEnd() {
    messages.scrollTop = messages.scrollHeight;
  }

  function addUserMessage(text) {
    var node = el('div', { className: 'msg', 'data-testid': 'message', 'data-sender': 'user', text: text });
    messages.append(node);
    scrollToEnd();
    return node;
  }

  // The widget speaks the language the assistant last answered in ("English please" switches both).
  function followLanguage(text) {
    var found = scriptLanguage(text);
    if (!found || found === lang) return;
    lang = found;
    relabel();
  }

  // A bot message: formatted text and/or an image, then its quick replies (outside the bubble).
  function addBotMessage(msg, repliesUsed) {
    if (!msg || typeof msg !== 'object') return;
    var text = typeof msg.text === 'string' ? msg.text : '';
    followLanguage(text);
    var image = msg.image ? safeUrl(msg.image) : null;
    var files = Array.isArray(msg.documents) ? msg.documents.filter(function (f) {
      return f && typeof f === 'object' && safeUrl(f.url);
    }) : [];
    if (text.trim() || image || files.length) {
      var bubble = el('div', { className: 'msg', 'data-testid': 'message', 'data-sender': 'bot' });
      if (text.trim()) bubble.append(formatText(text));
      if (image) {
        var img = el('img', { src: image, alt: t('image'), loading: 'lazy', 'data-testid': 'message-image' });
        img.addEventListener('load', scrollToEnd);
        // a chart is drawn for a phone screen: a tap opens it full size
        bubble.append(el('a', { href: image, target: '_blank', rel: 'noopener', title: t('image') }, [img]));
      }
      files.forEach(function (f) {
        var name = String(f.name || '').slice(0, 80);
        bubble.append(el('a', {
          className: 'file', href: safeUrl(f.url), download: name, target: '_blank', rel: 'noopener',
          'data-testid': 'download', text: t('download') + ' ' + (name || f.url)
        }));
      });
      messages.append(bubble);
    }
    if (Array.isArray(msg.buttons) && msg.buttons.length) addQuickReplies(msg.buttons, repliesUsed);
    scrollToEnd();
  }

  function addQuickReplies(buttons, used) {
    var group = el('div', { className: 'replies', role: 'group', 'aria-label': t('replies') });
    buttons.forEach(function (b) {
      if (!b || typeof b !== 'object') return;
      var title = String(b.title || b.payload || '');
      if (!title) return;
      var payload = String(b.payload || title);
      var btn = el('button', { type: 'button', className: 'reply', 'data-testid': 'quick-reply', text: title });
      btn.disabled = !!used;
      btn.addEventListener('click', function () { onQuickReply(group, payload, title); });
      group.append(btn);
    });
    if (group.childNodes.length) messages.append(group);
  }

  function setRepliesDisabled(group, disabled) {
    Array.from(group.querySelectorAll('button')).forEach(function (b) { b.disabled = disabled; });
  }

  function showTyping() {
    var node = el('div', {
      className: 'typing', 'data-testid': 'typing', role: 'status', 'aria-label': t('typing')
    }, [el('span'), el('span'), el('span')]);
    messages.append(node);
    scrollToEnd();
    return node;
  }

  // An inline notice (not a bot message), optionally with a Retry button.
  function showNotice(text, onRetry) {
    var notice = el('div', { className: 'notice', 'data-testid': 'notice' }, [el('span', { text: text })]);
    if (onRetry) {
      var retry = el('button', { type: 'button', className: 'retry', 'data-testid': 'retry', text: t('retry') });
      retry.addEventListener('click', function () {
        notice.remove();
        input.focus(); // the Retry button is gone: keep focus in the panel
        onRetry();
      });
      notice.append(retry);
    }
    messages.append(notice);
    scrollToEnd();
  }

  function clearNotices() {
    Array.from(messages.querySelectorAll('.notice')).forEach(function (n) { n.remove(); });
  }

  function hasMessages() {
    return !!messages.querySelector('[data-testid="message"]');
  }

  /* ---------- conversation ---------- */

  // History on load: the conversation survives reloads and page changes.
  function loadHistory() {
    var gen = generation;
    busy = true;
    return authed('GET', '/webchat/history', null, gen).then(function (data) {
      if (gen !== generation) return false;
      messages.textContent = '';
      var list = Array.isArray(data.messages) ? data.messages : [];
      list.forEach(function (msg, i) {
        if (msg && msg.sender === 'user') {
          if (typeof msg.text === 'string' && msg.text) addUserMessage(msg.text);
        } else {
          // Quick replies already answered by a later user message can't be pressed again.
          var answered = list.slice(i + 1).some(function (m) { return m && m.sender === 'user'; });
          addBotMessage(msg, answered);
        }
      });
      return true;
    }, function (failure) {
      if (gen !== generation) return false;
      showNotice(failure.text, failure.retry ? retryHistory : null);
      return false;
    }).finally(function () {
      if (gen === generation) busy = false;
    });
  }

  function retryHistory() {
    historyLoad = loadHistory();
    if (isOpen) maybeGreet();
  }

  // Sends one message. attempt = {payload or opened, bubble?, replies?, typed?}; a retry passes the same object.
  function deliver(attempt) {
    var gen = generation;
    busy = true;
    clearNotices();
    var typing = showTyping();
    var body = attempt.opened ? { opened: true } : { message: attempt.payload };
    body.language = lang; // a new conversation starts in it; a retry goes in the language of now
    return authed('POST', '/webchat/message', body, gen).then(function (data) {
      if (gen !== generation) return;
      typing.remove();
      failed = null;
      (Array.isArray(data.messages) ? data.messages : []).forEach(function (m) { addBotMessage(m); });
      // Clear the input only now, and only if the visitor hasn't started typing something else.
      if (attempt.typed && input.value.trim() === attempt.typed) input.value = '';
    }, function (failure) {
      if (gen !== generation) return;
      typing.remove();
      if (failure.retry) {
        failed = attempt;
        showNotice(failure.text, function () { retrySend(attempt); });
      } else {
        // Refused (too long, too fast...): nothing was said, so undo the bubble; the text stays in the input.
        undoAttempt(attempt);
        showNotice(failure.text);
      }
    }).finally(function () {
      if (gen === generation) busy = false;
    });
  }

  function undoAttempt(attempt) {
    if (attempt.bubble) attempt.bubble.remove();
    if (attempt.replies) setRepliesDisabled(attempt.replies, false);
  }

  function retrySend(attempt) {
    if (busy) return;
    deliver(attempt);
  }

  // A visible user message: typed text, or a quick reply's title standing for its payload.
  function sendUser(payload, shown, extra) {
    if (busy) return false;
    // A new message replaces a failed one that was never retried.
    if (failed) {
      undoAttempt(failed);
      failed = null;
    }
    var attempt = { payload: payload, bubble: addUserMessage(shown) };
    Object.keys(extra || {}).forEach(function (k) { attempt[k] = extra[k]; });
    deliver(attempt);
    return true;
  }

  function sendTyped() {
    var text = input.value.trim();
    if (!text) return;
    sendUser(text, text, { typed: text });
  }

  function onQuickReply(group, payload, title) {
    if (busy) return;
    setRepliesDisabled(group, true);
    input.focus(); // the pressed button is now disabled
    sendUser(payload, title, { replies: group });
  }

  function greet() {
    greetTried = true;
    deliver({ opened: true }); // silent: no user bubble
  }

  // First opening of an empty chat: let the assistant speak first.
  function maybeGreet() {
    if (!config.greeting || greetTried) return;
    greetTried = true;
    historyLoad.then(function (ok) {
      if (!ok || hasMessages() || busy) {
        greetTried = hasMessages(); // try again on the next opening if nothing happened
        return;
      }
      greet();
    });
  }

  function restart() {
    generation += 1;
    var gen = generation;
    busy = true;
    failed = null;
    greetTried = true;
    messages.textContent = '';
    historyLoad = Promise.resolve(true);
    newSession(gen).then(function () {
      if (gen !== generation) return;
      busy = false;
      if (config.greeting) greet();
    }, function (failure) {
      if (gen !== generation) return;
      busy = false;
      showNotice(failure.text, failure.retry ? restart : null);
    });
  }

  /* ---------- opening and closing ---------- */

  function open(focus) {
    if (!isOpen) {
      isOpen = true;
      panel.hidden = false;
      root.classList.add('open');
      launcher.setAttribute('aria-expanded', 'true');
      launcher.replaceChildren(icon(ICON_CLOSE));
      scrollToEnd();
      maybeGreet();
    }
    if (focus !== false) input.focus();
  }

  function close() {
    if (!isOpen) return;
    var hadFocus = !!shadow.activeElement;
    isOpen = false;
    panel.hidden = true;
    root.classList.remove('open');
    launcher.setAttribute('aria-expanded', 'false');
    launcher.replaceChildren(icon(ICON_CHAT, true));
    if (hadFocus) launcher.focus(); // don't strand keyboard users on a hidden element
  }

  launcher.addEventListener('click', function () {
    if (isOpen) close();
    else open();
  });
  closeBtn.addEventListener('click', close);
  restartBtn.addEventListener('click', restart);
  composer.addEventListener('submit', function (event) {
    event.preventDefault();
    sendTyped();
  });
  root.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && isOpen) {
      event.preventDefault();
      close(); // also returns focus to the launcher
    }
  });

  /* ---------- start ---------- */

  var historyLoad = Promise.resolve(true);

  function start() {
    document.body.append(host);
    pickTextColour();
    if (token) historyLoad = loadHistory();
    if (config.startOpen) open(false); // don't steal the page's focus on load
  }

  window.dxAdvisorWidget = Object.freeze({
    open: function () { open(); },
    close: function () { close(); }
  });

  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
