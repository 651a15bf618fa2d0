package io.templateworker.discord.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Discord's {@code zlib-stream} transport compression: one zlib stream for the whole connection; a payload is complete
 * when the bytes received so far end with the sync-flush suffix {@code 00 00 ff ff}.
 */
final class ZlibStream implements AutoCloseable {

    private final Inflater inflater = new Inflater();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final byte[] buffer = new byte[16 * 1024];
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Adds received bytes; returns the payload they complete, or null while more are needed. */
    String accept(ByteBuffer data) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        pending.writeBytes(chunk);
        if (pending.size() < 4 || !endsWithSuffix(pending.toByteArray())) {
            return null;
        }
        byte[] input = pending.toByteArray();
        pending.reset();
        inflater.setInput(input);
        out.reset();
        try {
            int n;
            while ((n = inflater.inflate(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException("the gateway sent corrupt zlib-stream data: " + e.getMessage(), e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean endsWithSuffix(byte[] b) {
        int n = b.length;
        return b[n - 4] == 0 && b[n - 3] == 0 && b[n - 2] == (byte) 0xff && b[n - 1] == (byte) 0xff;
    }

    @Override
    public void close() {
        inflater.end();
    }
}
