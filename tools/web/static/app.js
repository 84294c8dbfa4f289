// SPDX-License-Identifier: LGPL-2.1-or-later
// The cti console's page: log in, then draw the board ctiweb pushes as
// Server-Sent Events (/api/events), and post the actions (/api/action).
// Everything a server sent is put in the page as text, never as HTML.
'use strict';

const $ = (id) => document.getElementById(id);
let events = null;
let board = null;
let skewMs = 0;		// server clock minus ours, for durations
let streaming = false;	// the event stream has delivered: the board is live

function show(view) {
	$('login-view').hidden = view !== 'login';
	$('board-view').hidden = view !== 'board';
	$('logout').hidden = view !== 'board';
}

function say(text, ok) {
	const m = $('message');
	m.textContent = text;
	m.className = ok ? 'ok' : 'error';
}

async function post(url, body) {
	const r = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
		credentials: 'same-origin',
	});
	let data = {};
	try { data = await r.json(); } catch (e) { /* an empty body */ }
	return { status: r.status, data };
}

function span(total) {
	const s = Math.max(0, Math.floor(total / 1000));
	const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, r = s % 60;
	const two = (n) => String(n).padStart(2, '0');
	return (h ? h + ':' + two(m) : String(m)) + ':' + two(r);
}

const EVENTS_SHOWN = 16;

// A server time as the wall clock here shows it (24-hour).
function clock(ms) {
	return new Date(ms - skewMs).toLocaleTimeString('en-GB');
}

function cell(tr, text, cls) {
	const td = document.createElement('td');
	td.textContent = text === undefined || text === null ? '' : String(text);
	if (cls)
		td.className = cls;
	tr.appendChild(td);
	return td;
}

function party(number, name) {
	return name ? number + ' (' + name + ')' : number;
}

function fill(id, rows, draw) {
	const body = $(id).querySelector('tbody');
	body.replaceChildren();
	for (const row of rows) {
		const tr = document.createElement('tr');
		draw(tr, row);
		body.appendChild(tr);
	}
	const empty = $(id + '-empty');
	if (empty)
		empty.hidden = rows.length > 0;
}

function available(name) {
	return (board.actions || []).some((a) => a.name === name && a.available);
}

function actionButton(tr, label, name, args) {
	const td = cell(tr, '');
	const b = document.createElement('button');
	b.type = 'button';
	b.textContent = label;
	b.className = 'danger ' + name;
	b.disabled = !available(name);
	if (b.disabled)
		b.title = 'not in this ctid yet';
	b.addEventListener('click', () => act(name, args));
	td.appendChild(b);
}

function drawCalls() {
	fill('calls', board.calls, (tr, c) => {
		tr.dataset.line = c.line;
		tr.dataset.call = c.call;
		cell(tr, c.line_name);
		cell(tr, c.call, 'num');
		cell(tr, c.state, 'state ' + c.state);
		cell(tr, party(c.caller, c.caller_name));
		cell(tr, party(c.called, c.called_name));
		cell(tr, '', 'num duration').dataset.since = c.since_ms;
		cell(tr, '', 'num duration').dataset.since = c.state_ms;
		actionButton(tr, 'Drop', 'drop', { line: c.line, call: c.call });
	});
	$('calls-count').textContent = board.calls.length ? '(' + board.calls.length + ')' : '';
}

function drawLines() {
	fill('lines', board.lines, (tr, l) => {
		cell(tr, l.name);
		cell(tr, l.number);
		cell(tr, l.provider);
		cell(tr, l.status);
		cell(tr, l.calls, 'num');
		cell(tr, l.privilege);
	});
	$('lines-count').textContent = '(' + board.lines.length + ')';
	fill('agents', board.lines.filter((l) => l.agent), (tr, l) => {
		cell(tr, l.name);
		cell(tr, l.agent.state, 'state');
		cell(tr, l.agent.reason || '');
		cell(tr, l.agent.groups);
	});
}

function drawOthers() {
	fill('providers', board.providers, (tr, p) => {
		cell(tr, p.name);
		cell(tr, p.state, 'state ' + (p.state === 'up' ? 'CONNECTED' : 'DISCONNECTED'));
		cell(tr, p.link);
		cell(tr, p.lines, 'num');
	});
	// ctid's own sessions (an administrator's listing); for others, why not
	fill('sessions', board.sessions || [], (tr, s) => {
		tr.dataset.session = s.id;
		cell(tr, s.user + (s.admin ? ' (admin)' : ''));
		cell(tr, s.peer || '-');
		cell(tr, s.client);
		cell(tr, s.lines_open, 'num');
		cell(tr, clock(s.since_ms));
		cell(tr, s.attached ? 'yes' : 'no');
		actionButton(tr, 'End', 'end_session', { session: s.id });
	});
	$('sessions-empty').textContent = board.sessions_error ||
		(board.sessions ? 'No sessions.' : 'Asking ctid for its sessions...');
	fill('recent', board.recent, (tr, c) => {
		cell(tr, c.line_name);
		cell(tr, c.call, 'num');
		cell(tr, party(c.caller, c.caller_name));
		cell(tr, party(c.called, c.called_name));
		cell(tr, span(c.ended_ms - c.since_ms), 'num');
		cell(tr, clock(c.ended_ms));
		cell(tr, c.reason);
	});
	fill('events', (board.events || []).slice(0, EVENTS_SHOWN), (tr, e) => {
		cell(tr, clock(e.at_ms));
		cell(tr, e.line_name);
		cell(tr, e.call, 'num');
		cell(tr, e.state, 'state ' + e.state);
		cell(tr, e.reason);
	});
	$('grant').disabled = !available('grant');
	$('revoke').disabled = !available('revoke');
}

function tick() {
	const now = Date.now() + skewMs;
	for (const td of document.querySelectorAll('td.duration'))
		td.textContent = span(now - Number(td.dataset.since));
}

function draw(b) {
	board = b;
	skewMs = b.now_ms - Date.now();
	$('who').textContent = b.user + (b.admin ? ' (admin)' : '');
	const st = $('status');
	const up = b.alive && b.connected;
	st.textContent = !up ? 'ctid connection lost' : streaming ? 'live' : 'connecting';
	st.className = 'status ' + (up && streaming ? 'up' : 'down');
	drawCalls();
	drawLines();
	drawOthers();
	tick();
}

async function act(name, args) {
	const r = await post('/api/action', Object.assign({ action: name }, args));
	if (r.status === 200)
		say(r.data.message || 'done', true);
	else
		say('Refused: ' + (r.data.error || 'HTTP ' + r.status), false);
	if (r.status === 401)
		start();
}

function listen() {
	if (events)
		events.close();
	streaming = false;
	events = new EventSource('/api/events');
	events.addEventListener('board', (e) => {
		streaming = true;
		draw(JSON.parse(e.data));
	});
	// a stream that ends or fails: is the login still there?
	events.onerror = () => {
		events.close();
		events = null;
		setTimeout(start, 1000);
	};
}

async function start(why) {
	const r = await fetch('/api/board', { credentials: 'same-origin' });
	if (r.status === 200) {
		draw(await r.json());
		show('board');
		listen();
		return;
	}
	if (events)
		events.close();
	events = null;
	$('login-error').textContent = why || '';
	show('login');
}

$('login-form').addEventListener('submit', async (e) => {
	e.preventDefault();
	$('login-btn').disabled = true;
	const r = await post('/api/login', { user: $('user').value, password: $('password').value });
	$('login-btn').disabled = false;
	$('password').value = '';
	if (r.status !== 200) {
		$('login-error').textContent = r.data.error || 'HTTP ' + r.status;
		return;
	}
	$('login-error').textContent = '';
	say('', true);
	start();
});

$('logout').addEventListener('click', async () => {
	await post('/api/logout', {});
	start('Logged out.');
});

for (const id of ['grant', 'revoke'])
	$(id).addEventListener('click', () => act(id, {
		user: $('access-user').value,
		line: $('access-line').value,
		privilege: $('access-priv').value,
	}));

setInterval(tick, 1000);
start();
