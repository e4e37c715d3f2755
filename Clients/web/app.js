// Parley web client: REST join → signalling WebSocket → one RTCPeerConnection
// sending the microphone and playing the room's mix. No framework, no build step.
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);

  const REST_ERRORS = {
    wrong_pin: 'Wrong PIN for this room.',
    room_not_found: 'There is no room with this id.',
    room_full: 'The room is full.',
    no_media_server: 'No media server is available right now. Try again in a moment.',
    rate_limited: 'Too many attempts. Wait a moment and try again.',
  };
  const WS_ERRORS = {
    invalid_token: 'The join token was not accepted.',
    token_expired: 'The join token has expired.',
    room_full: 'The room is full.',
    media_failed: 'The audio connection could not be set up.',
    ice_timeout: 'The audio connection timed out (no network path to the media server).',
    dtls_failed: 'The secure audio connection failed.',
    fingerprint_mismatch: 'The secure audio connection failed (certificate mismatch).',
    media_server_lost: 'The media server for this room went away.',
  };
  // Error codes after which the session is over; others are reported and the call goes on.
  const FATAL = new Set(Object.keys(WS_ERRORS).concat(['kicked', 'room_closed', 'not_joined']));
  // Fatal errors a fresh join can fix.
  const REJOINABLE = new Set(['token_expired', 'media_failed', 'ice_timeout', 'dtls_failed',
    'fingerprint_mismatch', 'media_server_lost', 'signaling_lost', 'connection_failed']);

  const vc = {
    state: 'idle',            // idle | joining | connected | left | error
    participantId: null,
    roomId: null,
    displayName: null,
    pc: null,
    ws: null,
    localStream: null,
    muted: false,
    connectionState: 'new',
    participants: [],         // everyone else: {id, displayName, muted, talking, joinedAt}
    self: null,               // our own Participant as the server last described it
    localLevel: 0,            // 0..1 RMS of our microphone
    lastError: null,          // {code, message}
    messages: [],             // recent signalling messages (types only), for debugging
    join: (room, name, pin) => join(room, name, pin),
    mute: (muted) => setMuted(muted),
    leave: () => leave(),
    rejoin: () => rejoin(),
    stats: () => audioStats(),
  };
  window.voiceClient = vc;

  let session = 0;            // bumps on every join/teardown so stale callbacks do nothing
  let others = new Map();
  let audioCtx = null;
  let meterTimer = null;
  let pingTimer = null;
  let autoReconnects = 0;
  let lastJoin = null;        // {room, name, pin}

  // ---------- UI helpers ----------

  function setState(state) {
    vc.state = state;
    document.body.dataset.state = state;
    renderConn();
  }

  function renderConn() {
    const el = $('conn');
    const labels = {
      idle: 'Not connected', joining: 'Joining…', left: 'Left the room', error: 'Not connected',
    };
    let text = labels[vc.state] || vc.state;
    if (vc.state === 'connected') text = 'Connected';
    if (vc.state === 'joining' && vc.pc) text = `Connecting audio… (${vc.connectionState})`;
    if (vc.state === 'connected' && vc.connectionState !== 'connected') text = `Audio ${vc.connectionState}`;
    el.textContent = text;
    el.dataset.state = vc.state;
  }

  function notice(text, { rejoin = false, back = false, kind = 'error' } = {}) {
    const box = $('notice');
    if (!text) { box.hidden = true; return; }
    $('notice-text').textContent = text;
    box.dataset.kind = kind;
    $('rejoin').hidden = !rejoin;
    $('back').hidden = !back;
    box.hidden = false;
  }

  function showView(view) {
    $('join-view').hidden = view !== 'join';
    $('call-view').hidden = view !== 'call';
    const label = $('room-label');
    label.hidden = view !== 'call';
    label.textContent = vc.roomId ? `Room ${vc.roomId}` : '';
  }

  function fail(code, message, opts = {}) {
    vc.lastError = { code, message };
    teardown();
    setState(opts.state || 'error');
    const canRejoin = opts.rejoin ?? REJOINABLE.has(code);
    notice(message, { rejoin: canRejoin && !!lastJoin, back: true, kind: opts.state === 'left' ? 'info' : 'error' });
    showView(opts.keepCall ? 'call' : 'join');
  }

  const MIC_OFF_SVG = '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">' +
    '<path fill="currentColor" d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-8.9 3.1l-1.4 1.4A7 7 0 0 0 11 17.9V21h2v-3.1A7 7 0 0 0 19 11h-2z"/>' +
    '<path stroke="currentColor" stroke-width="2" d="M4 3l16 18"/></svg>';

  function participantItem(p, isSelf) {
    const li = document.createElement('li');
    li.className = 'participant';
    li.dataset.id = p.id;
    li.dataset.talking = String(!!p.talking && !p.muted);
    li.dataset.muted = String(!!p.muted);
    const avatar = document.createElement('span');
    avatar.className = 'avatar';
    avatar.setAttribute('aria-hidden', 'true');
    avatar.textContent = (p.displayName || '?').trim().charAt(0).toUpperCase() || '?';
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = p.displayName || '(no name)';
    if (isSelf) {
      const you = document.createElement('span');
      you.className = 'you';
      you.textContent = ' (you)';
      name.appendChild(you);
    }
    const status = document.createElement('span');
    status.className = 'status';
    if (p.muted) {
      const m = document.createElement('span');
      m.className = 'muted-icon';
      m.title = 'Muted';
      m.innerHTML = MIC_OFF_SVG;
      const t = document.createElement('span');
      t.className = 'muted-label';
      t.textContent = 'muted';
      m.appendChild(t);
      status.appendChild(m);
    } else if (p.talking) {
      const s = document.createElement('span');
      s.className = 'talking-badge';
      s.textContent = 'talking';
      status.appendChild(s);
    }
    li.append(avatar, name, status);
    return li;
  }

  function renderParticipants() {
    vc.participants = [...others.values()];
    const list = $('participants');
    list.replaceChildren();
    if (vc.participantId) {
      const self = {
        id: vc.participantId,
        displayName: vc.displayName,
        muted: vc.muted || !!(vc.self && vc.self.muted),
        talking: vc.self ? !!vc.self.talking : false,
      };
      list.appendChild(participantItem(self, true));
    }
    const sorted = vc.participants.slice().sort((a, b) => String(a.joinedAt).localeCompare(String(b.joinedAt)));
    for (const p of sorted) list.appendChild(participantItem(p, false));
    const n = list.children.length;
    $('count').textContent = `(${n})`;
  }

  function renderMute() {
    const b = $('mute');
    b.textContent = vc.muted ? 'Unmute' : 'Mute';
    b.setAttribute('aria-pressed', String(vc.muted));
    b.classList.toggle('active', vc.muted);
  }

  // ---------- REST + signalling ----------

  async function restJoin(room, name, pin) {
    const body = { displayName: name };
    if (pin) body.pin = pin;
    let res;
    try {
      res = await fetch(`/v1/rooms/${encodeURIComponent(room)}/join`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (e) {
      throw Object.assign(new Error('Cannot reach the server.'), { code: 'network_error' });
    }
    let data = null;
    try { data = await res.json(); } catch (e) { /* empty or not JSON */ }
    if (!res.ok) {
      const code = data && data.error && data.error.code || `http_${res.status}`;
      const message = REST_ERRORS[code] || (data && data.error && data.error.message) || `Join failed (HTTP ${res.status}).`;
      throw Object.assign(new Error(message), { code, status: res.status });
    }
    return data;
  }

  function send(msg) {
    if (vc.ws && vc.ws.readyState === WebSocket.OPEN) vc.ws.send(JSON.stringify(msg));
  }

  async function join(room, name, pin) {
    room = String(room || '').trim();
    name = String(name || '').trim();
    if (!room || !name) {
      notice('Enter a room id and your name.', { kind: 'error' });
      return;
    }
    teardown();
    const my = ++session;
    lastJoin = { room, name, pin };
    vc.lastError = null;
    vc.roomId = room;
    vc.displayName = name;
    others = new Map();
    vc.self = null;
    vc.participantId = null;
    vc.muted = false;
    vc.connectionState = 'new';
    notice(null);
    setState('joining');
    $('join').disabled = true;
    let info;
    try {
      info = await restJoin(room, name, pin);
    } catch (e) {
      $('join').disabled = false;
      if (my !== session) return;
      return fail(e.code || 'join_failed', e.message, { rejoin: e.code === 'no_media_server' || e.code === 'network_error' });
    }
    $('join').disabled = false;
    if (my !== session) return;
    vc.participantId = info.participantId;
    vc.roomId = info.roomId || room;
    vc.iceServers = info.iceServers || [];
    openSocket(info, my);
  }

  function openSocket(info, my) {
    let ws;
    try {
      ws = new WebSocket(info.signalingUrl);
    } catch (e) {
      return fail('signaling_lost', 'Cannot open the signalling connection.');
    }
    vc.ws = ws;
    ws.onopen = () => {
      if (my !== session) return;
      send({ type: 'join', token: info.token });
      pingTimer = setInterval(() => send({ type: 'ping' }), 20000);
    };
    ws.onmessage = (ev) => {
      if (my !== session) return;
      let msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      vc.messages.push(msg.type);
      if (vc.messages.length > 200) vc.messages.shift();
      onMessage(msg, my).catch((e) => {
        if (my === session) fail('client_error', `Unexpected error: ${e.message}`);
      });
    };
    ws.onclose = () => {
      if (my !== session) return;   // we closed it ourselves, or a newer session exists
      onSocketLost();
    };
  }

  function onSocketLost() {
    const wasConnected = vc.state === 'connected';
    if (wasConnected && autoReconnects < 1 && lastJoin) {
      // One automatic retry with a fresh REST join; if that fails the user gets a Rejoin button.
      autoReconnects += 1;
      const { room, name, pin } = lastJoin;
      join(room, name, pin);   // clears the notice synchronously, before its first await
      notice('Connection to the server lost — reconnecting…', { kind: 'info' });
      return;
    }
    fail('signaling_lost', 'Disconnected from the server.', { keepCall: false });
  }

  async function onMessage(msg, my) {
    switch (msg.type) {
      case 'joined':
        vc.participantId = msg.participantId || vc.participantId;
        vc.roomId = msg.roomId || vc.roomId;
        for (const p of msg.participants || []) if (p.id !== vc.participantId) others.set(p.id, p);
        showView('call');
        renderParticipants();
        renderMute();
        await startMedia(my);
        break;
      case 'answer':
        if (!vc.pc) return;
        await vc.pc.setRemoteDescription({ type: 'answer', sdp: msg.sdp });
        vc.remoteSet = true;
        for (const c of vc.pendingRemote.splice(0)) await addRemoteCandidate(c);
        break;
      case 'candidate':
        if (!vc.pc) return;
        if (!vc.remoteSet) vc.pendingRemote.push(msg); else await addRemoteCandidate(msg);
        break;
      case 'participant-joined':
        if (msg.participant && msg.participant.id !== vc.participantId) {
          others.set(msg.participant.id, msg.participant);
          renderParticipants();
        }
        break;
      case 'participant-left':
        others.delete(msg.participantId);
        renderParticipants();
        break;
      case 'participant-updated': {
        const p = msg.participant;
        if (!p) return;
        if (p.id === vc.participantId) {
          vc.self = p;
          if (p.muted !== vc.muted) applyMute(p.muted);   // muted by an admin, or confirmation
        } else {
          others.set(p.id, { ...(others.get(p.id) || {}), ...p });
        }
        renderParticipants();
        break;
      }
      case 'kicked':
        fail('kicked', 'You were removed from the room by a moderator.', { state: 'left', rejoin: false });
        break;
      case 'room-closed':
        fail('room_closed', 'The room was closed.', { state: 'left', rejoin: false });
        break;
      case 'error': {
        const code = msg.code || 'error';
        const text = WS_ERRORS[code] || msg.message || code;
        if (FATAL.has(code)) {
          fail(code, REJOINABLE.has(code) ? `${text} You can rejoin.` : text);
        } else {
          vc.lastError = { code, message: msg.message || code };
          console.warn('signald error', code, msg.message);
        }
        break;
      }
      case 'pong':
        break;
      default:
        break;
    }
  }

  async function addRemoteCandidate(c) {
    if (!c.candidate) {
      try { await vc.pc.addIceCandidate(null); } catch (e) { /* older browsers */ }
      return;
    }
    try {
      await vc.pc.addIceCandidate({ candidate: c.candidate, sdpMid: c.sdpMid ?? '0', sdpMLineIndex: c.sdpMLineIndex ?? 0 });
    } catch (e) {
      console.warn('addIceCandidate failed', e);
    }
  }

  // ---------- media ----------

  async function startMedia(my) {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
        video: false,
      });
    } catch (e) {
      if (my !== session) return;
      send({ type: 'leave' });
      const messages = {
        NotFoundError: 'No microphone was found. Connect one and try again.',
        NotAllowedError: 'Microphone permission was denied. Allow microphone access for this page and try again.',
        NotReadableError: 'The microphone is in use by another application or cannot be opened.',
        SecurityError: 'Microphone access needs a secure page (https or localhost).',
      };
      const code = e && e.name === 'NotFoundError' ? 'no_microphone' : e && e.name === 'NotAllowedError' ? 'permission_denied' : 'microphone_error';
      return fail(code, messages[e && e.name] || `Cannot use the microphone: ${e && e.message || e}`, { rejoin: false });
    }
    if (my !== session) { stream.getTracks().forEach((t) => t.stop()); return; }
    vc.localStream = stream;
    const track = stream.getAudioTracks()[0];
    track.enabled = !vc.muted;
    startMeter(stream);

    const pc = new RTCPeerConnection({ iceServers: vc.iceServers || [] });
    vc.pc = pc;
    vc.remoteSet = false;
    vc.pendingRemote = [];
    const pendingLocal = [];
    let offerSent = false;
    pc.addTrack(track, stream);

    pc.onicecandidate = (ev) => {
      if (my !== session) return;
      const msg = ev.candidate && ev.candidate.candidate
        ? { type: 'candidate', candidate: ev.candidate.candidate, sdpMid: ev.candidate.sdpMid, sdpMLineIndex: ev.candidate.sdpMLineIndex }
        : { type: 'candidate', candidate: null };
      if (offerSent) send(msg); else pendingLocal.push(msg);
    };
    pc.ontrack = (ev) => {
      if (my !== session) return;
      const audio = $('remote-audio');
      audio.srcObject = ev.streams && ev.streams[0] ? ev.streams[0] : new MediaStream([ev.track]);
      const p = audio.play();
      if (p && p.catch) {
        p.catch(() => { $('play-audio').hidden = false; });
      }
    };
    const onState = () => {
      if (my !== session) return;
      const s = pc.connectionState || pc.iceConnectionState;
      const ice = pc.iceConnectionState;
      vc.connectionState = s;
      if (s === 'connected' || ice === 'connected' || ice === 'completed') {
        vc.connectionState = 'connected';
        if (vc.state !== 'connected') {
          autoReconnects = 0;
          setState('connected');
          notice(null);
        }
      } else if (s === 'failed' || ice === 'failed') {
        send({ type: 'leave' });
        return fail('connection_failed', 'The audio connection failed.');
      }
      renderConn();
    };
    pc.onconnectionstatechange = onState;
    pc.oniceconnectionstatechange = onState;

    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    if (my !== session) return;
    send({ type: 'offer', sdp: pc.localDescription.sdp });
    offerSent = true;
    for (const m of pendingLocal.splice(0)) send(m);
    renderConn();
  }

  function startMeter(stream) {
    try {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      audioCtx = new Ctx();
      const source = audioCtx.createMediaStreamSource(stream);
      const analyser = audioCtx.createAnalyser();
      analyser.fftSize = 1024;
      source.connect(analyser);
      const buf = new Float32Array(analyser.fftSize);
      const fill = $('meter-fill');
      const meter = $('meter');
      meterTimer = setInterval(() => {
        analyser.getFloatTimeDomainData(buf);
        let sum = 0;
        for (let i = 0; i < buf.length; i++) sum += buf[i] * buf[i];
        const rms = Math.sqrt(sum / buf.length);
        const track = vc.localStream && vc.localStream.getAudioTracks()[0];
        const level = track && track.enabled ? rms : 0;
        vc.localLevel = level;
        // -60 dBFS .. 0 dBFS onto 0..100 %.
        const db = 20 * Math.log10(level + 1e-9);
        const pct = Math.max(0, Math.min(100, Math.round((db + 60) / 60 * 100)));
        fill.style.width = pct + '%';
        meter.setAttribute('aria-valuenow', String(pct));
      }, 100);
    } catch (e) {
      console.warn('level meter unavailable', e);
    }
  }

  function applyMute(muted) {
    vc.muted = !!muted;
    const track = vc.localStream && vc.localStream.getAudioTracks()[0];
    if (track) track.enabled = !vc.muted;
    renderMute();
    renderParticipants();
  }

  function setMuted(muted) {
    applyMute(muted);
    send({ type: 'mute', muted: vc.muted });
    return vc.muted;
  }

  async function audioStats() {
    if (!vc.pc) return null;
    const out = { inbound: null, outbound: null };
    const report = await vc.pc.getStats();
    report.forEach((s) => {
      if (s.kind !== 'audio' && s.mediaType !== 'audio') return;
      if (s.type === 'inbound-rtp') out.inbound = { packetsReceived: s.packetsReceived, packetsLost: s.packetsLost, totalAudioEnergy: s.totalAudioEnergy, audioLevel: s.audioLevel, jitter: s.jitter };
      if (s.type === 'outbound-rtp') out.outbound = { packetsSent: s.packetsSent, bytesSent: s.bytesSent };
    });
    return out;
  }

  // ---------- teardown ----------

  function teardown() {
    session++;
    clearInterval(pingTimer); pingTimer = null;
    clearInterval(meterTimer); meterTimer = null;
    if (vc.ws) {
      const ws = vc.ws;
      ws.onclose = null; ws.onmessage = null;
      try { ws.close(1000); } catch (e) { /* already closed */ }
    }
    vc.ws = null;
    if (vc.pc) { try { vc.pc.close(); } catch (e) { /* closed */ } }
    if (vc.localStream) vc.localStream.getTracks().forEach((t) => t.stop());
    vc.localStream = null;
    if (audioCtx) { audioCtx.close().catch(() => {}); audioCtx = null; }
    const audio = $('remote-audio');
    if (audio) audio.srcObject = null;
    vc.localLevel = 0;
    vc.connectionState = 'closed';
    $('play-audio').hidden = true;
    // vc.pc stays set (closed) so automation can still read its final state.
  }

  function leave() {
    if (vc.ws && vc.ws.readyState === WebSocket.OPEN) {
      try { vc.ws.send(JSON.stringify({ type: 'leave' })); } catch (e) { /* closing anyway */ }
    }
    teardown();
    others = new Map();
    vc.participants = [];
    setState('left');
    showView('join');
    notice('You left the room.', { rejoin: !!lastJoin, kind: 'info' });
  }

  function rejoin() {
    if (!lastJoin) return;
    const { room, name, pin } = lastJoin;
    return join(room, name, pin);
  }

  // ---------- wiring ----------

  function init() {
    const params = new URLSearchParams(location.search);
    $('room').value = params.get('room') || '';
    $('name').value = params.get('name') || localStorage.getItem('parley.name') || '';
    $('pin').value = params.get('pin') || '';
    $('join-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const name = $('name').value.trim();
      try { localStorage.setItem('parley.name', name); } catch (e) { /* private mode */ }
      join($('room').value, name, $('pin').value);
    });
    $('mute').addEventListener('click', () => setMuted(!vc.muted));
    $('leave').addEventListener('click', () => leave());
    $('rejoin').addEventListener('click', () => rejoin());
    $('back').addEventListener('click', () => { notice(null); setState(vc.state === 'error' ? 'idle' : vc.state); showView('join'); });
    $('play-audio').addEventListener('click', () => {
      $('remote-audio').play().then(() => { $('play-audio').hidden = true; }).catch(() => {});
      if (audioCtx) audioCtx.resume().catch(() => {});
    });
    document.addEventListener('click', () => { if (audioCtx && audioCtx.state === 'suspended') audioCtx.resume().catch(() => {}); });
    window.addEventListener('pagehide', () => { if (vc.ws) send({ type: 'leave' }); });
    setState('idle');
    showView('join');
    if (params.get('autojoin') === '1' && $('room').value && $('name').value) {
      join($('room').value, $('name').value, $('pin').value);
    } else if ($('room').value && !$('name').value) {
      $('name').focus();
    } else {
      $('room').focus();
    }
  }

  init();
})();
