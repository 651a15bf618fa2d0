package io.templateworker.mockdiscord.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** A bare WebSocket client for the mock gateway's tests: it records every payload and the close code. */
final class GatewayTestClient implements WebSocket.Listener, AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private final Inflater inflater = new Inflater();
    private final WebSocket socket;

    GatewayTestClient(String url) {
        this.socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(url), this).join();
    }

    static GatewayTestClient connect(String gatewayUrl) {
        return new GatewayTestClient(gatewayUrl + "?v=10&encoding=json");
    }

    /** The next payload; fails after 5 s. */
    JsonNode next() throws InterruptedException {
        JsonNode n = received.poll(5, TimeUnit.SECONDS);
        if (n == null) {
            throw new AssertionError("no gateway payload within 5 s");
        }
        return n;
    }

    /** The next dispatch (op 0), skipping heartbeat acks. */
    JsonNode nextDispatch() throws InterruptedException {
        while (true) {
            JsonNode n = next();
            if (n.path("op").asInt() == 0) {
                return n;
            }
        }
    }

    /** Nothing arrives within {@code wait}. */
    JsonNode poll(Duration wait) throws InterruptedException {
        return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    void identify(String token, int intents, int shardId, int shardCount) {
        send("{\"op\":2,\"d\":{\"token\":\"" + token + "\",\"intents\":" + intents + ",\"shard\":[" + shardId + "," + shardCount
                + "],\"properties\":{\"os\":\"linux\",\"browser\":\"test\",\"device\":\"test\"}}}");
    }

    void resume(String token, String sessionId, long seq) {
        send("{\"op\":6,\"d\":{\"token\":\"" + token + "\",\"session_id\":\"" + sessionId + "\",\"seq\":" + seq + "}}");
    }

    int awaitClose() throws Exception {
        return closeCode.get(5, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            parse(text.toString());
            text.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.writeBytes(chunk);
        byte[] all = binary.toByteArray();
        int n = all.length;
        if (last && n >= 4 && all[n - 4] == 0 && all[n - 3] == 0 && all[n - 2] == (byte) 0xff && all[n - 1] == (byte) 0xff) {
            binary.reset();
            inflater.setInput(all);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int k;
                while ((k = inflater.inflate(buf)) > 0) {
                    out.write(buf, 0, k);
                }
            } catch (DataFormatException e) {
                throw new IllegalStateException(e);
            }
            parse(out.toString(StandardCharsets.UTF_8));
        }
        ws.request(1);
        return null;
    }

    private void parse(String s) {
        try {
            received.add(JSON.readTree(s));
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + s, e);
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closeCode.complete(1006);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.abort();
        }
        inflater.end();
    }
}
