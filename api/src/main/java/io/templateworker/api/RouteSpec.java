package io.templateworker.api;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.lang.reflect.Type;
import java.util.List;

/**
 * One declared route: what serves it and what the OpenAPI document says about it.
 *
 * @param method        HTTP method
 * @param path          Javalin path, with parameters as {@code {name}}
 * @param summary       one line for the docs
 * @param description   more detail for the docs, or null
 * @param tag           the docs section
 * @param access        who may call it (enforced before the handler runs)
 * @param requestBody   the JSON request body type, or null for none
 * @param response      the response type; {@code Void.class} for a JSON {@code null} body
 * @param mediaType     the response media type ({@code application/json} unless the route serves something else)
 * @param queryParams   documented query parameters
 * @param errors        error statuses the route answers besides the ones implied by its access and body
 * @param rateLimited   whether the per-user/per-IP limits apply
 * @param documented    false for plumbing (docs assets) that should not appear in the document
 * @param handler       what serves it
 */
public record RouteSpec(HandlerType method, String path, String summary, String description, String tag, Access access,
                        Type requestBody, Type response, String mediaType, List<QueryParam> queryParams,
                        List<ErrorDoc> errors, boolean rateLimited, boolean documented, Handler handler) {

    /** A documented query parameter. */
    public record QueryParam(String name, Class<?> type, boolean required, String description) {
    }

    /** A documented error answer: status and when it happens. */
    public record ErrorDoc(int status, String when) {
    }
}
