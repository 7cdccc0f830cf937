# python3-slixmpp contender: connect → STARTTLS (test CA) → SASL → bind → session_start →
# roster get. Run with /usr/bin/python3 (Debian's slixmpp is installed for that interpreter).
#
# slixmpp raises `session_start` only after bind (and the RFC 3921 session iq when the server
# marks it mandatory); nothing may be sent before it, so the roster get goes out from its handler.
# When `await get_roster()` returns, the result has been parsed into self.client_roster (the
# roster_update handler runs before the awaiting coroutine resumes) — the same point as Flint's
# roster.changed event.
#
# Config: env BENCH_CONFIG = { host, port, domain, user, pass, caPath }.
# Prints one JSON line: { ms, cpuMs, items, phases } (cpuMs: this process's CPU time in the window).
import asyncio
import json
import os
import sys
import time

import slixmpp

cfg = json.loads(os.environ['BENCH_CONFIG'])


class Client(slixmpp.ClientXMPP):
    def __init__(self):
        super().__init__(f"{cfg['user']}@{cfg['domain']}", cfg['pass'])
        self.ca_certs = cfg['caPath']
        self.result = None
        self.done = asyncio.Event()
        self.phases = {}
        self.add_event_handler('connected', lambda _e: self.mark('tcp'))
        self.add_event_handler('tls_success', lambda _e: self.mark('tls'))
        self.add_event_handler('auth_success', lambda _e: self.mark('sasl'))
        self.add_event_handler('session_bind', lambda _e: self.mark('bind'))
        self.add_event_handler('session_start', self.on_session_start)
        self.add_event_handler('failed_auth', lambda _e: self.fail('auth failed'))
        self.add_event_handler('connection_failed', lambda e: self.fail(f'connection failed: {e}'))
        self.add_event_handler('disconnected', lambda _e: self.done.set())

    def mark(self, name):
        self.phases[name] = round((time.perf_counter() - t0) * 1000, 2)

    def fail(self, why):
        sys.stderr.write(f'slixmpp: {why}\n')
        os._exit(1)

    async def on_session_start(self, _event):
        await self.get_roster()
        ms = (time.perf_counter() - t0) * 1000
        cpu_ms = (time.process_time() - cpu0) * 1000
        self.mark('roster')
        self.result = {'ms': ms, 'cpuMs': cpu_ms, 'items': len(self.client_roster), 'phases': self.phases}
        self.disconnect()


client = Client()
# Constructing the client (plugin registration) is start-up, like module import: the clock
# starts where the others' does, at the TCP connect.
t0 = time.perf_counter()
cpu0 = time.process_time()
client.connect(address=(cfg['host'], cfg['port']), use_ssl=False, force_starttls=True, disable_starttls=False)


async def main():
    try:
        await asyncio.wait_for(client.done.wait(), 60)
    except asyncio.TimeoutError:
        client.fail('timeout')


client.loop.run_until_complete(main())
if client.result is None:
    client.fail('disconnected before the roster arrived')
sys.stdout.write(json.dumps(client.result) + '\n')
sys.stdout.flush()
os._exit(0)
