import { connect } from 'node:net';

export type RawResponse = { status: number; headers: Record<string, string>; body: string };

/**
 * Sends `head` (and optionally `body`) byte for byte over one TCP connection and reads one response. fetch
 * would normalize the URL (percent-encoding, dot segments, absolute form): an attacker's client does not.
 * Resolves as soon as the response is complete, even while the request body is still unsent.
 */
export function rawRequest(
  baseUrl: string,
  head: string,
  options: { body?: string | Buffer; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `no complete response within ${options.timeoutMs ?? 10_000} ms to ${head.split('\r\n')[0]}`,
        ),
      );
    }, options.timeoutMs ?? 10_000);
    const finish = (response: RawResponse) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(response);
    };
    const parse = (ended: boolean) => {
      const text = received.toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return ended ? reject(new Error(`incomplete response: ${text}`)) : undefined;
      const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const status = Number(statusLine.split(' ')[1]);
      const bodyBytes = received.subarray(Buffer.byteLength(text.slice(0, split + 4), 'latin1'));
      const length = headers['content-length'];
      if (length !== undefined && bodyBytes.length >= Number(length)) {
        return finish({ status, headers, body: bodyBytes.subarray(0, Number(length)).toString('utf8') });
      }
      if (ended) return finish({ status, headers, body: bodyBytes.toString('utf8') });
    };
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      parse(false);
    });
    socket.on('end', () => parse(true));
    socket.on('error', (error) => {
      // The server may close while we still write a body it refused: what it answered before counts.
      if (received.length > 0) parse(true);
      else {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.write(head);
    if (options.body !== undefined) socket.write(options.body);
  });
}
