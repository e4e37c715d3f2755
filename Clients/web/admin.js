// Parley admin console: rooms, participants and media servers over the admin REST API.
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const KEY = 'parley.adminKey';
  const open = new Set();          // room ids whose participant list is expanded
  let refreshTimer = null;

  function notice(text, kind = 'error') {
    const box = $('notice');
    if (!text) { box.hidden = true; return; }
    $('notice-text').textContent = text;
    box.dataset.kind = kind;
    box.hidden = false;
  }

  function el(tag, props = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null) e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
    return e;
  }

  class ApiError extends Error {
    constructor(status, code, message) { super(message); this.status = status; this.code = code; }
  }

  async function api(method, path, body) {
    const headers = { Authorization: `Bearer ${sessionStorage.getItem(KEY) || ''}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new ApiError(0, 'network_error', 'Cannot reach the server.');
    }
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { /* not JSON */ }
    if (!res.ok) {
      const err = data && data.error ? data.error : {};
      if (res.status === 401) signOut('The admin key was not accepted.');
      throw new ApiError(res.status, err.code || `http_${res.status}`, err.message || text || res.statusText);
    }
    return data;
  }

  function showError(e) {
    notice(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e.message || e));
  }

  function when(ts) {
    if (!ts) return '';
    const d = new Date(ts);
    return isNaN(d) ? String(ts) : d.toLocaleString();
  }

  // ---------- rooms ----------

  async function loadRooms() {
    const { rooms } = await api('GET', '/v1/rooms');
    const body = $('rooms');
    body.replaceChildren();
    if (!rooms.length) body.append(el('tr', {}, el('td', { colspan: 6, class: 'empty' }, 'No rooms yet.')));
    for (const room of rooms) {
      const expanded = open.has(room.id);
      const toggle = el('button', { type: 'button', class: 'small', 'aria-expanded': String(expanded),
        onclick: () => { expanded ? open.delete(room.id) : open.add(room.id); refresh(); } },
        expanded ? 'Hide people' : 'People');
      const link = el('a', { href: `/?room=${encodeURIComponent(room.id)}`, target: '_blank', rel: 'noopener', class: 'small' }, 'Join link');
      const del = el('button', { type: 'button', class: 'small danger' }, 'Delete');
      del.addEventListener('click', () => confirmThen(del, `Delete room ${room.name}`, async () => {
        await api('DELETE', `/v1/rooms/${encodeURIComponent(room.id)}`);
        open.delete(room.id);
        notice(`Room "${room.name}" deleted.`, 'info');
      }));
      body.append(el('tr', { 'data-room': room.id },
        el('td', {}, room.name),
        el('td', { class: 'mono' }, room.id),
        el('td', {}, room.hasPin ? 'yes' : 'no'),
        el('td', {}, `${room.participantCount}${room.maxParticipants ? ' / ' + room.maxParticipants : ''}`),
        el('td', {}, when(room.createdAt)),
        el('td', { class: 'actions' }, toggle, link, del)));
      if (expanded) {
        const cell = el('td', { colspan: 6 }, 'Loading…');
        body.append(el('tr', { class: 'sub' }, cell));
        loadParticipants(room, cell).catch((e) => { cell.textContent = `Cannot load participants: ${e.message}`; });
      }
    }
  }

  async function loadParticipants(room, cell) {
    const { participants } = await api('GET', `/v1/rooms/${encodeURIComponent(room.id)}/participants`);
    if (!participants.length) { cell.replaceChildren(el('span', { class: 'empty' }, 'Nobody is in this room.')); return; }
    const rows = participants.map((p) => {
      const base = `/v1/rooms/${encodeURIComponent(room.id)}/participants/${encodeURIComponent(p.id)}`;
      const mute = el('button', { type: 'button', class: 'small', 'aria-pressed': String(!!p.muted),
        onclick: () => act(async () => { await api('POST', `${base}/mute`, { muted: !p.muted }); }) },
        p.muted ? 'Unmute' : 'Mute');
      const kick = el('button', { type: 'button', class: 'small danger' }, 'Kick');
      kick.addEventListener('click', () => confirmThen(kick, `Kick ${p.displayName}`, async () => {
        await api('DELETE', base);
        notice(`${p.displayName} was removed.`, 'info');
      }));
      return el('tr', { 'data-participant': p.id },
        el('td', {}, p.displayName),
        el('td', { class: 'mono' }, p.id),
        el('td', {}, p.muted ? 'muted' : ''),
        el('td', {}, p.talking ? el('span', { class: 'talking-badge' }, 'talking') : ''),
        el('td', {}, when(p.joinedAt)),
        el('td', { class: 'actions' }, mute, kick));
    });
    cell.replaceChildren(el('table', {},
      el('thead', {}, el('tr', {}, ...['Name', 'Id', 'Muted', 'Talking', 'Joined', 'Actions'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...rows)));
  }

  // Two-step confirmation without a blocking dialog: first click arms, second click acts.
  function confirmThen(button, label, action) {
    if (button.dataset.armed === '1') {
      act(action);
      return;
    }
    const old = button.textContent;
    button.dataset.armed = '1';
    button.textContent = 'Confirm?';
    button.setAttribute('aria-label', `${label}: click again to confirm`);
    setTimeout(() => { button.dataset.armed = ''; button.textContent = old; button.removeAttribute('aria-label'); }, 4000);
  }

  async function act(action) {
    try {
      await action();
    } catch (e) {
      showError(e);
    }
    await refresh();
  }

  // ---------- media servers ----------

  async function loadMedia() {
    const { mediaServers } = await api('GET', '/v1/media-servers');
    const body = $('media');
    body.replaceChildren();
    if (!mediaServers.length) body.append(el('tr', {}, el('td', { colspan: 6, class: 'empty' }, 'No media server has registered.')));
    for (const m of mediaServers) {
      body.append(el('tr', {},
        el('td', { class: 'mono' }, m.id),
        el('td', { class: 'mono' }, m.udpAddress),
        el('td', {}, el('span', { class: m.healthy ? 'ok' : 'bad' }, m.healthy ? 'healthy' : 'unhealthy')),
        el('td', {}, m.rooms),
        el('td', {}, m.participants),
        el('td', {}, when(m.lastHeartbeatAt))));
    }
  }

  async function refresh() {
    if (!sessionStorage.getItem(KEY)) return;
    try {
      await Promise.all([loadRooms(), loadMedia()]);
    } catch (e) {
      showError(e);
    }
  }

  // ---------- session ----------

  function signIn(key) {
    sessionStorage.setItem(KEY, key);
    $('login-view').hidden = true;
    $('admin-view').hidden = false;
    $('signout').hidden = false;
    notice(null);
    refresh();
    clearInterval(refreshTimer);
    refreshTimer = setInterval(refresh, 3000);
  }

  function signOut(reason) {
    sessionStorage.removeItem(KEY);
    clearInterval(refreshTimer);
    $('login-view').hidden = false;
    $('admin-view').hidden = true;
    $('signout').hidden = true;
    $('key').value = '';
    notice(reason || null, reason ? 'error' : 'info');
  }

  $('login-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const key = $('key').value.trim();
    if (key) signIn(key);
  });
  $('signout').addEventListener('click', () => signOut());
  $('refresh').addEventListener('click', () => refresh());
  $('create-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body = { name: $('new-name').value.trim() };
    const pin = $('new-pin').value.trim();
    const max = $('new-max').value.trim();
    if (pin) body.pin = pin;
    if (max) body.maxParticipants = Number(max);
    act(async () => {
      const room = await api('POST', '/v1/rooms', body);
      $('create-form').reset();
      notice(`Room "${room.name}" created: ${room.id}`, 'info');
    });
  });

  const saved = sessionStorage.getItem(KEY);
  if (saved) signIn(saved); else signOut();
  // For automation: the handlers above are attached.
  window.parleyAdminReady = true;
})();
