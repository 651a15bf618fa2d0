package io.templateworker.discord.gateway;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Jetty's WebSocket callbacks for one gateway connection, handed to {@link Events}. Public only because Jetty calls
 * listener methods reflectively; not part of the module's interface.
 */
public final class GatewaySocket implements Session.Listener.AutoDemanding {

    /** What a connection hears. */
    interface Events {
        void opened(Session session);

        void text(String payload);

        void binary(ByteBuffer payload);

        void closed(int code, String reason);

        void failed(Throwable error);
    }

    private final Events events;

    GatewaySocket(Events events) {
        this.events = events;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        events.opened(session);
    }

    @Override
    public void onWebSocketText(String message) {
        events.text(message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            events.binary(payload);
            callback.succeed();
        } catch (RuntimeException e) {
            callback.fail(e);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        try {
            events.closed(statusCode, reason);
        } finally {
            callback.succeed();
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        events.failed(cause);
    }
}
