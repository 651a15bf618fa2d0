package io.templateworker.api;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.lang.reflect.Type;
import java.util.List;

/**
 * One declared route: what serves it and what the OpenAPI document says about it.
 *
 * @param method       HTTP method
 * @param path         Javalin path, with parameters as {@code {name}}
 * @param summary      one line for the docs
 * @param tag          the docs section
 * @param access       who may call it
 * @param requestBody  the JSON request body type, or null for none
 * @param response     the JSON response type; {@code Void.class} for a {@code null} body
 * @param queryParams  documented query parameters
 * @param documented   false for plumbing (docs assets) that should not appear in the document
 * @param handler      what serves it
 */
public record RouteSpec(HandlerType method, String path, String summary, String tag, Access access, Type requestBody,
                        Type response, List<QueryParam> queryParams, boolean documented, Handler handler) {

    /** A documented query parameter. */
    public record QueryParam(String name, Class<?> type, boolean required, String description) {
    }
}
