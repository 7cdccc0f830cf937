// A connected pair of loopback sockets for byte-stream tests.
import net from 'node:net';

/** A connected pair of sockets on loopback, both paused (as a SOCKS5 handshake leaves them). */
export async function socketPair(): Promise<[net.Socket, net.Socket]> {
  const server = net.createServer({ pauseOnConnect: true });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await new Promise((r) => client.once('connect', r));
  client.pause();
  const other = await accepted;
  server.close();
  return [client, other];
}
