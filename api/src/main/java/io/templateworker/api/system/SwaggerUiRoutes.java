package io.templateworker.api.system;

import io.javalin.http.Context;
import io.templateworker.api.ApiException;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.Routes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * Swagger UI at {@code /docs} (public API) and {@code /i/docs} (internal API). The page is ours; its scripts
 * and styles come from the swagger-ui webjar on the classpath, so no CDN is needed.
 */
public final class SwaggerUiRoutes implements RouteGroup {

    /** Files of the webjar the page uses, with their content types; nothing else is served. */
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css",
            "swagger-ui-bundle.js", "text/javascript",
            "swagger-ui-standalone-preset.js", "text/javascript",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png");

    private final String webjarRoot;

    public SwaggerUiRoutes() {
        this.webjarRoot = "META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";
    }

    @Override
    public String tag() {
        return "System";
    }

    @Override
    public void register(Routes routes) {
        routes.get("/docs").summary("Swagger UI for the public API").response(String.class).produces("text/html").unlimited()
                .handle(ctx -> page(ctx, "/openapi", "Template Worker API"));
        routes.get("/i/docs").undocumented().unlimited().handle(ctx -> page(ctx, "/i/openapi", "Template Worker internal API"));
        routes.get("/docs/assets/{file}").undocumented().unlimited().handle(this::asset);
    }

    private static void page(Context ctx, String specUrl, String title) {
        ctx.contentType("text/html; charset=utf-8").result("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <title>%s</title>
                  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
                  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png" sizes="32x32">
                </head>
                <body>
                  <div id="swagger-ui"></div>
                  <script src="/docs/assets/swagger-ui-bundle.js"></script>
                  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
                  <script>
                    window.ui = SwaggerUIBundle({ url: "%s", dom_id: "#swagger-ui", deepLinking: true, persistAuthorization: true,
                      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout" });
                  </script>
                </body>
                </html>
                """.formatted(title, specUrl));
    }

    private void asset(Context ctx) {
        String file = ctx.pathParam("file");
        String type = ASSETS.get(file);
        if (type == null) {
            throw ApiException.notFound("no docs asset named '" + file + "'");
        }
        InputStream in = SwaggerUiRoutes.class.getClassLoader().getResourceAsStream(webjarRoot + file);
        if (in == null) {
            throw ApiException.notFound("docs asset '" + file + "' is missing from the swagger-ui webjar");
        }
        ctx.contentType(type).header("Cache-Control", "max-age=86400").result(in);
    }

    private static String webjarVersion() {
        try (InputStream in = SwaggerUiRoutes.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui webjar is not on the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
