package io.templateworker.api;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.websocket.WsConfig;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The route registry a {@link RouteGroup} declares its routes on. Each declaration ends with {@link
 * RouteBuilder#handle}; a declaration without a handler is reported when the server starts.
 */
public final class Routes {

    private final String defaultTag;
    private final List<RouteSpec> specs = new ArrayList<>();
    private final List<RouteBuilder> open = new ArrayList<>();
    private final List<WsRoute> webSockets = new ArrayList<>();

    /** A WebSocket endpoint (not in the OpenAPI document). */
    public record WsRoute(String path, Consumer<WsConfig> handler) {
    }

    Routes(String defaultTag) {
        this.defaultTag = defaultTag;
    }

    public RouteBuilder get(String path) {
        return begin(HandlerType.GET, path);
    }

    public RouteBuilder post(String path) {
        return begin(HandlerType.POST, path);
    }

    public RouteBuilder put(String path) {
        return begin(HandlerType.PUT, path);
    }

    public RouteBuilder patch(String path) {
        return begin(HandlerType.PATCH, path);
    }

    public RouteBuilder delete(String path) {
        return begin(HandlerType.DELETE, path);
    }

    /**
     * A WebSocket endpoint at {@code path}. The server applies no {@link Access} to it: browsers cannot send an
     * {@code Authorization} header with a WebSocket, so the handler must authorize each connection itself (e.g. with
     * a short-lived ticket from an HTTP route that has the access level) and close the ones it refuses.
     */
    public void ws(String path, Consumer<WsConfig> handler) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("WebSocket path must start with '/': " + path);
        }
        webSockets.add(new WsRoute(path, handler));
    }

    /** The declared WebSocket endpoints. */
    List<WsRoute> webSockets() {
        return List.copyOf(webSockets);
    }

    private RouteBuilder begin(HandlerType method, String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with '/': " + path);
        }
        RouteBuilder builder = new RouteBuilder(method, path, defaultTag);
        open.add(builder);
        return builder;
    }

    /** The finished declarations, in declaration order. */
    List<RouteSpec> specs() {
        for (RouteBuilder b : open) {
            if (!b.done) {
                throw new IllegalStateException("route " + b.method + " " + b.path + " was declared without a handler (call .handle(...))");
            }
        }
        return List.copyOf(specs);
    }

    /** Declares one route; finish with {@link #handle(Handler)}. */
    public final class RouteBuilder {
        private final HandlerType method;
        private final String path;
        private String summary;
        private String description;
        private String tag;
        private Access access = Access.PUBLIC;
        private Type requestBody;
        private Type response = Void.class;
        private String mediaType = "application/json";
        private final List<RouteSpec.QueryParam> queryParams = new ArrayList<>();
        private final List<RouteSpec.ErrorDoc> errors = new ArrayList<>();
        private boolean rateLimited = true;
        private boolean documented = true;
        private boolean done;

        private RouteBuilder(HandlerType method, String path, String tag) {
            this.method = method;
            this.path = path;
            this.tag = tag;
        }

        public RouteBuilder summary(String summary) {
            this.summary = summary;
            return this;
        }

        /** Longer text for the docs (CommonMark). */
        public RouteBuilder description(String description) {
            this.description = description;
            return this;
        }

        public RouteBuilder tag(String tag) {
            this.tag = tag;
            return this;
        }

        /** Who may call the route; enforced by the server before the handler runs. */
        public RouteBuilder access(Access access) {
            this.access = access;
            return this;
        }

        /** The JSON request body type (a record, list, map or scalar). */
        public RouteBuilder request(Type body) {
            this.requestBody = body;
            return this;
        }

        /** The JSON response type; the default, {@code Void.class}, documents a {@code null} body. */
        public RouteBuilder response(Type body) {
            this.response = body;
            return this;
        }

        /** The route answers {@code mediaType} (e.g. {@code text/html}) instead of JSON; its body type is a string. */
        public RouteBuilder produces(String mediaType) {
            this.mediaType = mediaType;
            return this;
        }

        public RouteBuilder queryParam(String name, Class<?> type, boolean required, String description) {
            queryParams.add(new RouteSpec.QueryParam(name, type, required, description));
            return this;
        }

        /** Documents an error answer specific to this route (401/403/400/413/415/429/500 are added automatically). */
        public RouteBuilder error(int status, String when) {
            errors.add(new RouteSpec.ErrorDoc(status, when));
            return this;
        }

        /** Exempts the route from the per-user and per-IP limits (health checks, metrics, docs). */
        public RouteBuilder unlimited() {
            this.rateLimited = false;
            return this;
        }

        /** Leaves the route out of the OpenAPI document (for plumbing such as static assets). */
        public RouteBuilder undocumented() {
            this.documented = false;
            return this;
        }

        public void handle(Handler handler) {
            if (done) {
                throw new IllegalStateException("route " + method + " " + path + " already has a handler");
            }
            if (documented && (summary == null || summary.isBlank())) {
                throw new IllegalStateException("route " + method + " " + path + " needs a summary for the API docs");
            }
            if (access == Access.GUILD && !path.contains("{guild_id}")) {
                throw new IllegalStateException("route " + method + " " + path + " is Access.GUILD but has no {guild_id} parameter");
            }
            done = true;
            specs.add(new RouteSpec(method, path, summary, description, tag, access, requestBody, response, mediaType,
                    List.copyOf(queryParams), List.copyOf(errors), rateLimited, documented, handler));
        }
    }
}
