package io.templateworker.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers as JSON {@code {message, code}}: for requests the HTTP server refuses before they reach
 * a route (an ambiguous {@code %2e%2e} segment, bad percent-encoding, headers over the size limit, a malformed
 * request line), which would otherwise get an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final int maxHeaderBytes;

    JsonErrorHandler(int maxHeaderBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
    }

    /** Jetty writes error bodies only for GET, POST and HEAD by default; every method gets one here. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        byte[] body = body(code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(new HttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length)));
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    @SuppressWarnings("removal") // still the hook Jetty 12 calls for a request it could not parse (no JSON body otherwise)
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason));
    }

    private byte[] body(int status, String reason) {
        try {
            return JSON.writeValueAsBytes(new ApiError(message(status, reason), codeFor(status)));
        } catch (JsonProcessingException e) {
            return ("{\"message\":\"error " + status + "\",\"code\":\"InternalError\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    private String message(int status, String reason) {
        String why = reason == null || reason.isBlank() ? null : reason;
        return switch (status) {
            case 431 -> "request headers are too large: their total size must stay under " + maxHeaderBytes + " bytes";
            case 414 -> "request URI is too long: request line and headers must stay under " + maxHeaderBytes + " bytes";
            case 400 -> "the HTTP server refused the request before routing it: " + (why == null || why.equals("Bad Request")
                    ? "malformed request" : why) + " (check the request line: the path's percent-encoding must be valid UTF-8"
                    + " and may not encode control characters)";
            case 404 -> "Not Found";
            default -> why == null ? "HTTP error " + status : why;
        };
    }

    static ApiErrorCode codeFor(int status) {
        return switch (status) {
            case 400, 414, 431 -> ApiErrorCode.BadRequest;
            case 401 -> ApiErrorCode.NoAuthToken;
            case 403 -> ApiErrorCode.Restricted;
            case 404 -> ApiErrorCode.NotFound;
            case 405 -> ApiErrorCode.MethodNotAllowed;
            case 409 -> ApiErrorCode.Conflict;
            case 413 -> ApiErrorCode.PayloadTooLarge;
            case 415 -> ApiErrorCode.UnsupportedMediaType;
            case 429 -> ApiErrorCode.RateLimited;
            case 502, 504 -> ApiErrorCode.UpstreamError;
            case 503 -> ApiErrorCode.Unavailable;
            default -> status >= 400 && status < 500 ? ApiErrorCode.BadRequest : ApiErrorCode.InternalError;
        };
    }
}
