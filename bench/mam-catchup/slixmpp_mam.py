# python3-slixmpp contender for the archive catch-up benchmark: connect → STARTTLS (test CA) →
# SASL → bind → session_start → fetch the whole XEP-0313 archive, paged with RSM (max 250 asked;
# the server may cap it), counting the results. Run with /usr/bin/python3.
# Config: env BENCH_CONFIG = { host, port, domain, user, pass, caPath, resource }.
# Prints one JSON line: { ms, count, cpuMs } (ms from the TCP connect to the last page; cpuMs: this
# process's CPU time while paging).
import asyncio
import json
import os
import sys
import time

import slixmpp

cfg = json.loads(os.environ['BENCH_CONFIG'])


class Client(slixmpp.ClientXMPP):
    def __init__(self):
        super().__init__(f"{cfg['user']}@{cfg['domain']}/{cfg['resource']}", cfg['pass'])
        self.ca_certs = cfg['caPath']
        self.result = None
        self.done = asyncio.Event()
        self.register_plugin('xep_0059')
        self.register_plugin('xep_0313')
        self.add_event_handler('session_start', self.on_session_start)
        self.add_event_handler('failed_auth', lambda _e: self.fail('auth failed'))
        self.add_event_handler('disconnected', lambda _e: self.done.set())

    def fail(self, why):
        sys.stderr.write(f'slixmpp: {why}\n')
        os._exit(1)

    async def on_session_start(self, _event):
        count = 0
        cpu0 = time.process_time()
        async for _msg in self.plugin['xep_0313'].iterate(rsm={'max': 250}):
            count += 1
        self.result = {'ms': (time.perf_counter() - t0) * 1000, 'count': count, 'cpuMs': (time.process_time() - cpu0) * 1000}
        self.disconnect()


client = Client()
t0 = time.perf_counter()
client.connect(address=(cfg['host'], cfg['port']), use_ssl=False, force_starttls=True, disable_starttls=False)


async def main():
    try:
        await asyncio.wait_for(client.done.wait(), 600)
    except asyncio.TimeoutError:
        client.fail('timeout')


client.loop.run_until_complete(main())
if client.result is None:
    client.fail('disconnected before the archive was read')
sys.stdout.write(json.dumps(client.result) + '\n')
sys.stdout.flush()
os._exit(0)
