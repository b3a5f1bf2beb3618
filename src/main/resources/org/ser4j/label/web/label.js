// The labeling page. Everything shown that came from data (prompts, answers, guidelines) is set
// with textContent, never as HTML: answers are model output and may hold markup.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const NAME_KEY = 'ser-label-name';
  // A lead can hand each annotator a link with their name: /?name=alice
  const given = (new URLSearchParams(location.search).get('name') || '').trim();
  if (given) localStorage.setItem(NAME_KEY, given);
  let me = localStorage.getItem(NAME_KEY) || '';
  let current = null; // the pair shown: {id, turns, left, right}
  let busy = false;

  function show(section) {
    for (const id of ['key-form', 'name-form', 'task', 'done']) $(id).hidden = id !== section;
    $('buttons').hidden = !(section === 'task' || section === 'done');
    document.body.dataset.state = section;
  }

  function say(text) { $('message').textContent = text; }

  // Text with ``` fences: plain paragraphs keep their line breaks, fenced code goes in <pre>.
  function render(el, text) {
    el.replaceChildren();
    const lines = String(text).split('\n');
    let buf = [];
    let code = false;
    const flush = () => {
      if (buf.length === 0) return;
      const body = buf.join('\n');
      buf = [];
      if (code) {
        const pre = document.createElement('pre');
        const c = document.createElement('code');
        c.textContent = body;
        pre.appendChild(c);
        el.appendChild(pre);
      } else if (body.trim() !== '') {
        const p = document.createElement('p');
        p.textContent = body;
        el.appendChild(p);
      }
    };
    for (const line of lines) {
      if (line.trimStart().startsWith('```')) { flush(); code = !code; } else buf.push(line);
    }
    flush();
  }

  async function call(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const r = await fetch(path, init);
    let data = {};
    try { data = await r.json(); } catch (e) { /* not JSON */ }
    if (r.status === 401 && path !== '/api/login') {
      askKey(data.error);
      const e = new Error(data.error || 'key needed');
      e.stop = true;
      throw e;
    }
    if (!r.ok) {
      const e = new Error(data.error || ('HTTP ' + r.status));
      e.stop = r.status >= 400 && r.status < 500;
      throw e;
    }
    return data;
  }

  function askKey(why) {
    show('key-form');
    $('key-error').textContent = why || '';
    $('key-input').focus();
  }

  function display(data) {
    const p = data.progress;
    if (p && p.yours === 0) $('guidelines').open = true; // read them before the first label
    if (p) $('progress').textContent = `labeled by you: ${p.yours} · pairs done: ${p.pairs_done} of ${p.pairs}`;
    if (data.done) {
      current = null;
      delete document.body.dataset.pairId;
      show('done');
      return;
    }
    current = data.pair;
    const prompt = $('prompt');
    prompt.replaceChildren();
    for (const t of current.turns) {
      const div = document.createElement('div');
      div.className = 'turn ' + t.role;
      const role = document.createElement('div');
      role.className = 'role';
      role.textContent = t.role;
      const text = document.createElement('div');
      text.className = 'text';
      render(text, t.text);
      div.append(role, text);
      prompt.appendChild(div);
    }
    render($('left-text'), current.left);
    render($('right-text'), current.right);
    document.body.dataset.pairId = current.id;
    show('task');
    window.scrollTo(0, 0);
  }

  // Sends until the server confirms (the label is then on disk); only then is the next pair shown.
  async function send(path, body) {
    if (busy) return;
    busy = true;
    document.body.classList.add('saving');
    say('saving…');
    for (let attempt = 1; ; attempt++) {
      try {
        const data = await call('POST', path, body);
        say('');
        display(data);
        break;
      } catch (e) {
        if (e.stop) { say(e.message); break; }
        say(`not saved yet (${e.message}); trying again (${attempt})…`);
        await new Promise((res) => setTimeout(res, Math.min(500 * attempt, 5000)));
      }
    }
    busy = false;
    document.body.classList.remove('saving');
  }

  function choose(choice) {
    if (!current || busy) return;
    send('/api/label', { annotator: me, id: current.id, choice });
  }

  function undo() {
    if (busy) return;
    send('/api/undo', { annotator: me });
  }

  async function start() {
    let s;
    try {
      s = await call('GET', '/api/session');
    } catch (e) {
      say(e.message);
      return;
    }
    if (!s.signed_in) { askKey(); return; }
    if (s.guidelines) {
      $('guidelines').hidden = false;
      render($('guidelines-text'), s.guidelines);
    }
    if (!me) {
      show('name-form');
      $('name-input').focus();
      return;
    }
    $('who').textContent = me;
    send('/api/next', { annotator: me });
  }

  $('key').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await call('POST', '/api/login', { key: $('key-input').value });
      $('key-input').value = '';
      start();
    } catch (e) {
      $('key-error').textContent = e.message;
    }
  });

  $('name').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const name = $('name-input').value.trim();
    if (!name) return;
    me = name;
    localStorage.setItem(NAME_KEY, me);
    start();
  });

  for (const b of document.querySelectorAll('button[data-choice]')) {
    b.addEventListener('click', () => choose(b.dataset.choice));
  }
  $('b-undo').addEventListener('click', undo);
  $('who').addEventListener('click', () => { // not you? sign in under another name
    localStorage.removeItem(NAME_KEY);
    me = '';
    show('name-form');
    $('name-input').focus();
  });

  document.addEventListener('keydown', (ev) => {
    if (ev.target instanceof HTMLInputElement || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const k = ev.key;
    let handled = true;
    if (k === '1' || k === 'ArrowLeft') choose('left');
    else if (k === '2' || k === 'ArrowRight') choose('right');
    else if (k === '3' || k === 'ArrowDown' || k === 't') choose('tie');
    else if (k === 's') choose('skip');
    else if (k === 'u' || k === 'Backspace') undo();
    else handled = false;
    if (handled) ev.preventDefault();
  });

  start();
})();
