#!/usr/bin/python3
"""A slixmpp peer for file-transfer tests: XEP-0095/0096 stream initiation over XEP-0065 SOCKS5
bytestreams or XEP-0047 IBB, both directions (run with /usr/bin/python3).

Reports JSON lines on stdout:
  {"event": "online", "jid": ...}
  {"event": "offer", "from": ..., "sid": ..., "name": ..., "size": ...}   (an SI offer came in)
  {"event": "received", "sid": ..., "method": "socks5"|"ibb", "size": N, "sha256": HEX, "seconds": S}
  {"event": "sent", "sid": ..., "method": ..., "size": N, "seconds": S}
  {"event": "declined", "sid": ...} / {"event": "error", "reason": ...}
Commands on stdin, one JSON object a line:
  {"cmd": "send", "to": FULLJID, "path": FILE, "method": "socks5"|"ibb"|"both", "block_size": 4096}
  {"cmd": "answer", "accept": true|false}   answer the oldest pending offer
  {"cmd": "stop"}
Options: --prefer socks5|ibb (which method to pick when both are offered; slixmpp's own default is IBB),
--auto accept|decline|manual.
"""
import argparse
import asyncio
import hashlib
import json
import logging
import os
import sys
import time
import uuid

import slixmpp
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import StanzaPath

SOCKS5 = 'http://jabber.org/protocol/bytestreams'
IBB = 'http://jabber.org/protocol/ibb'


def emit(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


class FilePeer(slixmpp.ClientXMPP):
    def __init__(self, jid, password, prefer, auto, outdir=None):
        super().__init__(jid, password)
        self.auto = auto
        self.outdir = outdir
        self.pending = []
        self.incoming = None  # the one transfer being received: dict
        for p in ("xep_0030", "xep_0020", "xep_0047", "xep_0065", "xep_0095", "xep_0096"):
            self.register_plugin(p)
        # slixmpp picks the method with the lowest order among those offered (IBB 50, SOCKS5 100).
        self["xep_0095"].register_method(SOCKS5 if prefer == "socks5" else IBB, "xep_0065" if prefer == "socks5" else "xep_0047", 10)
        self["xep_0047"].max_block_size = 65535
        # Debian's slixmpp registers XEP-0095's async request handler with a plain Callback, so
        # the coroutine is never awaited and incoming offers vanish: register it as a coroutine.
        self.remove_handler("SI Request")
        self.register_handler(CoroutineCallback("SI Request", StanzaPath("iq@type=set/si"), self["xep_0095"]._handle_request))
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("si_request", self.on_si_request)
        self.add_event_handler("socks5_data", self.on_socks5_data)
        self.add_event_handler("socks5_closed", self.on_socks5_closed)
        self.add_event_handler("ibb_stream_data", self.on_ibb_data)
        self.add_event_handler("ibb_stream_end", self.on_ibb_end)
        self.add_event_handler("failed_auth", lambda _: emit("error", reason="auth failed"))
        self.add_event_handler("disconnected", lambda _: asyncio.get_event_loop().stop())

    async def on_start(self, _):
        self.send_presence()
        await self.get_roster()
        emit("online", jid=str(self.boundjid))

    # ---------------------------------------------------------------- receiving

    def on_si_request(self, iq):
        f = iq["si"]["file"]
        offer = {"from": str(iq["from"]), "sid": iq["si"]["id"], "name": f["name"], "size": int(f["size"] or 0)}
        emit("offer", **offer)
        self.pending.append(offer)
        if self.auto == "accept":
            asyncio.ensure_future(self.answer(True))
        elif self.auto == "decline":
            asyncio.ensure_future(self.answer(False))

    async def answer(self, accept):
        if not self.pending:
            emit("error", reason="no pending offer")
            return
        offer = self.pending.pop(0)
        if not accept:
            await self["xep_0095"].decline(offer["from"], offer["sid"])
            return
        out = open(os.path.join(self.outdir, f"{offer['sid']}.bin"), "wb") if self.outdir else None
        self.incoming = {"sid": offer["sid"], "size": offer["size"], "hash": hashlib.sha256(), "got": 0, "t0": time.time(), "method": None, "out": out}
        try:
            await self["xep_0095"].accept(offer["from"], offer["sid"])
        except Exception as e:  # noqa: BLE001 - report anything to the test
            emit("error", reason=f"accept failed: {e!r}")

    def _take(self, data, method):
        inc = self.incoming
        if inc is None:
            return
        inc["method"] = method
        inc["hash"].update(data)
        inc["got"] += len(data)
        if inc["out"]:
            inc["out"].write(data)

    def _finish(self):
        inc = self.incoming
        if inc is None:
            return
        self.incoming = None
        if inc["out"]:
            inc["out"].close()
        emit("received", sid=inc["sid"], method=inc["method"], size=inc["got"], sha256=inc["hash"].hexdigest(), seconds=time.time() - inc["t0"])

    def on_socks5_data(self, data):
        self._take(data, "socks5")
        if self.incoming and self.incoming["got"] >= self.incoming["size"]:
            self._finish()

    def on_socks5_closed(self, _exc):
        if self.incoming and self.incoming["method"] == "socks5":
            self._finish()

    def on_ibb_data(self, stream):
        while not stream.recv_queue.empty():
            self._take(stream.recv_queue.get_nowait(), "ibb")

    def on_ibb_end(self, stream):
        while not stream.recv_queue.empty():
            self._take(stream.recv_queue.get_nowait(), "ibb")
        if self.incoming and self.incoming["method"] in ("ibb", None):
            self.incoming["method"] = "ibb"
            self._finish()

    # ---------------------------------------------------------------- sending

    async def send_file(self, to, path, method, block_size):
        size = os.path.getsize(path)
        name = os.path.basename(path)
        # slixmpp's offer() hands each option to FormField.add_option(**option): they must be dicts.
        methods = [{"value": m} for m in {"socks5": [SOCKS5], "ibb": [IBB], "both": [SOCKS5, IBB]}[method]]
        sid = uuid.uuid4().hex
        try:
            res = await self["xep_0095"].offer(to, sid=sid, profile="http://jabber.org/protocol/si/profile/file-transfer",
                                               methods=methods, payload=self._file_el(name, size), timeout=120)
        except slixmpp.exceptions.IqError as e:
            cond = e.iq["error"]["condition"]
            if cond == "forbidden":
                emit("declined", sid=sid)
            else:
                emit("error", reason=f"offer failed: {cond}")
            return
        chosen = res["si"]["feature_neg"]["form"].get_fields()["stream-method"]["value"]
        t0 = time.time()
        try:
            if chosen == SOCKS5:
                sock = await self["xep_0065"].handshake(to, sid=sid, timeout=30)
                if sock is None:
                    emit("error", reason="socks5 handshake failed")
                    return
                with open(path, "rb") as fh:
                    while True:
                        chunk = fh.read(65536)
                        if not chunk:
                            break
                        await sock.write(chunk)
                sock.transport.close()  # proxy65 forwards the tail only once we close
                emit("sent", sid=sid, method="socks5", size=size, seconds=time.time() - t0)
            else:
                stream = await self["xep_0047"].open_stream(to, sid=sid, block_size=block_size)
                with open(path, "rb") as fh:
                    await stream.sendfile(fh, timeout=60)
                await stream.close()
                emit("sent", sid=sid, method="ibb", size=size, seconds=time.time() - t0)
        except Exception as e:  # noqa: BLE001
            emit("error", reason=f"send failed: {e!r}")

    async def guard(self, coro):
        try:
            await coro
        except Exception as e:  # noqa: BLE001 - the test wants to see it
            emit("error", reason=repr(e))

    def _file_el(self, name, size):
        from slixmpp.plugins.xep_0096 import File
        f = File()
        f["name"] = name
        f["size"] = size
        return f

    def on_command(self, line):
        cmd = json.loads(line)
        kind = cmd.get("cmd")
        if kind == "send":
            asyncio.ensure_future(self.guard(self.send_file(cmd["to"], cmd["path"], cmd.get("method", "both"), cmd.get("block_size", 4096))))
        elif kind == "answer":
            asyncio.ensure_future(self.answer(bool(cmd.get("accept", True))))
        elif kind == "stop":
            self.disconnect()
        else:
            emit("error", reason="unknown command", cmd=kind)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jid", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=5222)
    ap.add_argument("--ca")
    ap.add_argument("--prefer", choices=["socks5", "ibb"], default="socks5")
    ap.add_argument("--auto", choices=["accept", "decline", "manual"], default="manual")
    ap.add_argument("--outdir", help="write received files here (benchmarks: file to file)")
    ap.add_argument("--debug", action="store_true")
    args = ap.parse_args()
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.ERROR, stream=sys.stderr)

    peer = FilePeer(args.jid, args.password, args.prefer, args.auto, args.outdir)
    if args.ca:
        peer.ca_certs = args.ca
    loop = asyncio.get_event_loop()
    pending = b""

    def read_stdin():
        nonlocal pending
        chunk = os.read(sys.stdin.fileno(), 65536)
        if not chunk:
            loop.remove_reader(sys.stdin.fileno())
            peer.disconnect()
            return
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if line.strip():
                peer.on_command(line.decode("utf-8").strip())

    loop.add_reader(sys.stdin.fileno(), read_stdin)
    peer.add_event_handler("connection_failed", lambda e: (emit("error", reason=f"connection failed: {e}"), loop.stop()))
    peer.connect((args.host, args.port))
    loop.run_forever()


if __name__ == "__main__":
    main()
