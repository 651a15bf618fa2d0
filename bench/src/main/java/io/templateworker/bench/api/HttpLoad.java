package io.templateworker.bench.api;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP/1.1 load generator: {@code connections} keep-alive sockets, each sending the same request again as
 * soon as the previous answer has arrived, for a fixed time. Minimal on purpose (raw sockets, Content-Length bodies
 * only), so the client costs little of the CPU the server needs.
 */
final class HttpLoad {

    /** What one run measured. */
    record Result(long requests, double seconds, long p50Nanos, long p99Nanos, Map<Integer, Long> statuses) {
        double perSecond() {
            return requests / seconds;
        }
    }

    private HttpLoad() {
    }

    static Result run(int port, byte[] request, int connections, Duration duration) throws Exception {
        long[][] latencies = new long[connections][];
        int[] counts = new int[connections];
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        CountDownLatch ready = new CountDownLatch(connections);
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[connections];
        long[] stopAt = new long[1];
        Exception[] failure = new Exception[1];
        for (int c = 0; c < connections; c++) {
            int id = c;
            threads[c] = Thread.ofPlatform().name("load-" + c).start(() -> {
                long[] mine = new long[1 << 16];
                int n = 0;
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                    ready.countDown();
                    go.await();
                    while (System.nanoTime() < stopAt[0]) {
                        long start = System.nanoTime();
                        out.write(request);
                        out.flush();
                        int status = readResponse(in);
                        long took = System.nanoTime() - start;
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = took;
                        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                    }
                } catch (Exception e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                    ready.countDown();
                }
                latencies[id] = mine;
                counts[id] = n;
            });
        }
        ready.await();
        long start = System.nanoTime();
        stopAt[0] = start + duration.toNanos();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure[0] != null) {
            throw new IllegalStateException("a load connection failed: " + failure[0], failure[0]);
        }
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < connections; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach((k, v) -> byStatus.put(k, v.get()));
        return new Result(total, seconds, percentile(all, 0.50), percentile(all, 0.99), byStatus);
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** Reads one response (status line, headers, Content-Length or chunked body) and returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        String line;
        while (!(line = readLine(in)).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(line.substring(colon + 1).trim());
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && line.toLowerCase().contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            while (true) {
                long size = Long.parseLong(readLine(in).trim().split(";")[0], 16);
                skip(in, size);
                readLine(in);
                if (size == 0) {
                    break;
                }
            }
        } else if (length > 0) {
            skip(in, length);
        }
        return status;
    }

    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed in a response body");
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        throw new IOException("connection closed by the server");
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
