package io.templateworker.bench.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * A closed-loop HTTP/1.1 load generator: {@code connections} keep-alive sockets on platform threads, each sending the
 * same request again as soon as the previous answer has arrived, for a fixed time. It shares the machine with the
 * server, so it is kept cheap: raw sockets, responses parsed in place from a reused buffer (no strings, no per-request
 * objects), latencies in a preallocated array. It measures the CPU its own threads used, so a run can say how much
 * of the machine the client took.
 */
final class HttpLoad {

    /**
     * What one run measured.
     *
     * @param clientCpuNanos CPU time the load threads used (sockets, parsing, bookkeeping)
     */
    record Result(long requests, double seconds, long p50Nanos, long p99Nanos, Map<Integer, Long> statuses,
                  long clientCpuNanos) {
        double perSecond() {
            return requests / seconds;
        }
    }

    private HttpLoad() {
    }

    static Result run(int port, byte[] request, int connections, Duration duration) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Connection[] conns = new Connection[connections];
        CountDownLatch ready = new CountDownLatch(connections);
        CountDownLatch go = new CountDownLatch(1);
        Thread[] workers = new Thread[connections];
        long[] stopAt = new long[1];
        for (int c = 0; c < connections; c++) {
            Connection conn = new Connection();
            conns[c] = conn;
            workers[c] = Thread.ofPlatform().name("load-" + c).start(() -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setTcpNoDelay(true);
                    conn.in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream();
                    ready.countDown();
                    go.await();
                    long cpuStart = threads.getCurrentThreadCpuTime();
                    long end = stopAt[0];
                    long now = System.nanoTime();
                    while (now < end) {
                        out.write(request);
                        int status = conn.readResponse();
                        long after = System.nanoTime();
                        conn.record(after - now, status);
                        now = after;
                    }
                    conn.cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
                } catch (Exception e) {
                    conn.failure = e;
                    ready.countDown();
                }
            });
        }
        ready.await();
        long start = System.nanoTime();
        stopAt[0] = start + duration.toNanos();
        go.countDown();
        for (Thread t : workers) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int total = 0;
        long cpu = 0;
        Map<Integer, Long> byStatus = new TreeMap<>();
        for (Connection conn : conns) {
            if (conn.failure != null) {
                throw new IllegalStateException("a load connection failed: " + conn.failure, conn.failure);
            }
            total += conn.count;
            cpu += conn.cpuNanos;
            for (int s = 0; s < conn.statuses.length; s++) {
                if (conn.statuses[s] > 0) {
                    byStatus.merge(s, conn.statuses[s], Long::sum);
                }
            }
        }
        long[] all = new long[total];
        int at = 0;
        for (Connection conn : conns) {
            System.arraycopy(conn.latencies, 0, all, at, conn.count);
            at += conn.count;
        }
        Arrays.sort(all);
        return new Result(total, seconds, percentile(all, 0.50), percentile(all, 0.99), byStatus, cpu);
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** One keep-alive connection's read buffer and tallies; used by its own thread only. */
    static final class Connection {
        InputStream in;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int limit;
        long[] latencies = new long[1 << 18];
        int count;
        final long[] statuses = new long[600];
        long cpuNanos;
        volatile Exception failure;

        void record(long nanos, int status) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
            statuses[status < 0 || status >= statuses.length ? 0 : status]++;
        }

        private int next() throws IOException {
            if (pos == limit) {
                limit = in.read(buf, 0, buf.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    throw new IOException("connection closed by the server");
                }
            }
            return buf[pos++];
        }

        /** Reads one response (status line, headers, then a Content-Length or chunked body); returns its status. */
        int readResponse() throws IOException {
            // "HTTP/1.1 200 OK"
            for (int i = 0; i < 9; i++) {
                next();
            }
            int status = (next() - '0') * 100 + (next() - '0') * 10 + (next() - '0');
            skipLine();
            long length = -1;
            boolean chunked = false;
            while (true) {
                int c = next();
                if (c == '\r') {
                    next(); // '\n': end of headers
                    break;
                }
                // Header names we need start with c (Content-Length) or t (Transfer-Encoding); matchRest skips the
                // rest of a line that turns out to be another header.
                int lower = c | 0x20;
                if (lower == 'c') {
                    if (matchRest("ontent-length:")) {
                        length = readNumber(10);
                    }
                } else if (lower == 't') {
                    if (matchRest("ransfer-encoding:")) {
                        chunked = true; // the only encoding a server sends besides identity
                        skipLine();
                    }
                } else if (c != '\n') {
                    skipLine();
                }
            }
            if (chunked) {
                while (true) {
                    long size = readNumber(16);
                    skip(size);
                    skipLine(); // CRLF after the chunk data
                    if (size == 0) {
                        break;
                    }
                }
            } else if (length > 0) {
                skip(length);
            }
            return status;
        }

        /** Whether the next bytes spell {@code rest} (case-insensitive); on a mismatch the line is left partly read. */
        private boolean matchRest(String rest) throws IOException {
            for (int i = 0; i < rest.length(); i++) {
                int c = next();
                if ((c | 0x20) != (rest.charAt(i) | 0x20)) {
                    if (c != '\n') {
                        skipLine();
                    }
                    return false;
                }
            }
            return true;
        }

        /** A number in {@code radix} after optional spaces; the rest of the line is skipped. */
        private long readNumber(int radix) throws IOException {
            long n = 0;
            int c = next();
            while (c == ' ') {
                c = next();
            }
            while (true) {
                int d = Character.digit(c, radix);
                if (d < 0) {
                    break;
                }
                n = n * radix + d;
                c = next();
            }
            if (c != '\n') {
                skipLine();
            }
            return n;
        }

        private void skipLine() throws IOException {
            while (next() != '\n') {
                // skip
            }
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                if (pos == limit) {
                    next();
                    pos--;
                }
                int take = (int) Math.min(n, limit - pos);
                pos += take;
                n -= take;
            }
        }
    }

    /** An HTTP/1.1 keep-alive request. */
    static byte[] request(String method, String path, String token, String jsonBody) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (token != null) {
            sb.append("Authorization: ").append(token).append("\r\n");
        }
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        if (jsonBody != null) {
            sb.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }
}
