package io.templateworker.mockdiscord.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One WebSocket connection to the mock gateway. Frames leave in call order (callers hold the gateway lock); with
 * {@code compress=zlib-stream} every payload goes through one zlib stream for the whole connection and ends with a
 * sync flush ({@code 00 00 ff ff}), as Discord sends it.
 */
final class GatewayConnection {

    /** Discord: 120 events per connection per 60 s, else the connection is closed with 4008. */
    static final int SEND_LIMIT = 120;
    static final long SEND_WINDOW_NANOS = 60_000_000_000L;

    final long id;
    private final Session socket;
    private final Deflater deflater;
    final long openedNanos;
    /** When the last heartbeat arrived (the Hello time until the first). */
    long lastHeartbeatNanos;
    /** The session this connection identified or resumed, null before. */
    GatewaySession session;
    /** Rate limit of what the client sends. */
    private long windowStartNanos;
    private int sentInWindow;
    boolean closed;

    GatewayConnection(long id, Session socket, boolean zlibStream, long nowNanos) {
        this.id = id;
        this.socket = socket;
        this.deflater = zlibStream ? new Deflater(Deflater.DEFAULT_COMPRESSION) : null;
        this.openedNanos = nowNanos;
        this.lastHeartbeatNanos = nowNanos;
        this.windowStartNanos = nowNanos;
    }

    /** Sends one payload (a JSON text). */
    void send(String payload) {
        if (closed) {
            return;
        }
        if (deflater == null) {
            socket.sendText(payload, Callback.NOOP);
        } else {
            socket.sendBinary(ByteBuffer.wrap(compress(payload.getBytes(StandardCharsets.UTF_8))), Callback.NOOP);
        }
    }

    private byte[] compress(byte[] input) {
        deflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 2 + 16);
        byte[] buffer = new byte[8192];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length || !deflater.needsInput());
        return out.toByteArray();
    }

    /** Counts one payload from the client; false once it sent more than Discord allows in a minute. */
    boolean admitInbound(long nowNanos) {
        if (nowNanos - windowStartNanos > SEND_WINDOW_NANOS) {
            windowStartNanos = nowNanos;
            sentInWindow = 0;
        }
        return ++sentInWindow <= SEND_LIMIT;
    }

    /** Closes with a close frame (Discord's close codes). */
    void close(int code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        socket.close(code, reason, Callback.NOOP);
        release();
    }

    /** Drops the TCP connection without a close frame, as a network failure would. */
    void abort() {
        if (closed) {
            return;
        }
        closed = true;
        socket.disconnect();
        release();
    }

    /** The client went away. */
    void closedByPeer() {
        closed = true;
        release();
    }

    private void release() {
        if (deflater != null) {
            deflater.end();
        }
    }
}
