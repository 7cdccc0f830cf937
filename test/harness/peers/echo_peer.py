#!/usr/bin/python3
"""A scripted XMPP peer for integration tests (python3-slixmpp, run with /usr/bin/python3).

Logs in, answers chat/normal messages with the same body, and reports events as JSON lines
on stdout: {"event": "online"|"message"|"presence"|"offline"|"error", ...}.
Reads JSON commands on stdin, one per line:
  {"cmd": "send", "to": JID, "body": TEXT, "type": "chat"}
  {"cmd": "presence", "show": "away", "status": TEXT}
  {"cmd": "subscribe", "to": JID}
  {"cmd": "stop"}
"""
import argparse
import asyncio
import json
import logging
import os
import sys

import slixmpp


def emit(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


class EchoPeer(slixmpp.ClientXMPP):
    def __init__(self, jid, password, echo):
        super().__init__(jid, password)
        self.echo = echo
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("presence", self.on_presence)
        self.add_event_handler("failed_auth", lambda _: self.fail("auth failed"))
        self.add_event_handler("disconnected", self.on_disconnected)
        self.register_plugin("xep_0030")  # disco
        self.register_plugin("xep_0184")  # answers receipt requests
        self.register_plugin("xep_0199")  # answers pings

    def fail(self, reason):
        emit("error", reason=reason)
        self.disconnect()

    async def on_start(self, _event):
        self.send_presence()
        await self.get_roster()
        emit("online", jid=str(self.boundjid))

    def on_message(self, msg):
        if msg["type"] not in ("chat", "normal") or not msg["body"]:
            return
        emit("message", **{"from": str(msg["from"]), "to": str(msg["to"]), "type": msg["type"],
                           "id": msg["id"], "body": msg["body"]})
        if self.echo:
            msg.reply(msg["body"]).send()

    def on_presence(self, pres):
        emit("presence", **{"from": str(pres["from"]), "type": pres["type"], "show": pres["show"],
                            "status": pres["status"]})

    def on_disconnected(self, _reason):
        emit("offline")
        asyncio.get_event_loop().stop()

    def on_command(self, line):
        try:
            cmd = json.loads(line)
        except ValueError:
            emit("error", reason="bad command", line=line)
            return
        kind = cmd.get("cmd")
        if kind == "send":
            self.send_message(mto=cmd["to"], mbody=cmd["body"], mtype=cmd.get("type", "chat"))
        elif kind == "presence":
            self.send_presence(pshow=cmd.get("show"), pstatus=cmd.get("status"))
        elif kind == "subscribe":
            self.send_presence_subscription(pto=cmd["to"])
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
    ap.add_argument("--ca", help="CA certificate file to trust")
    ap.add_argument("--direct-tls", action="store_true", help="XEP-0368 TLS from the first byte")
    ap.add_argument("--no-echo", action="store_true")
    ap.add_argument("--debug", action="store_true", help="slixmpp debug log on stderr")
    args = ap.parse_args()
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.ERROR, stream=sys.stderr)

    peer = EchoPeer(args.jid, args.password, echo=not args.no_echo)
    if args.ca:
        peer.ca_certs = args.ca
    loop = asyncio.get_event_loop()

    pending = b""

    def read_stdin():
        # os.read, not sys.stdin.readline: a buffered readline can swallow a second line
        # that the event loop then never reports as readable.
        nonlocal pending
        chunk = os.read(sys.stdin.fileno(), 65536)
        if not chunk:  # the test closed our stdin: leave
            loop.remove_reader(sys.stdin.fileno())
            peer.disconnect()
            return
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if line.strip():
                peer.on_command(line.decode("utf-8").strip())

    def connection_failed(err):
        emit("error", reason=f"connection failed: {err}")
        loop.stop()

    peer.add_event_handler("connection_failed", connection_failed)
    loop.add_reader(sys.stdin.fileno(), read_stdin)
    peer.connect((args.host, args.port), use_ssl=args.direct_tls)
    loop.run_forever()


if __name__ == "__main__":
    main()
