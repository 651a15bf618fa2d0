package io.templateworker.luau.ast;

import io.templateworker.luau.lexer.Span;
import java.util.List;

/**
 * Everything that defines a function: its parameters, body and (ignored at run time) types.
 *
 * @param name the debug name: the last name segment of a declaration, or the field name for
 *     {@code {name = function ... end}}; {@code null} for other anonymous functions. Used in
 *     tracebacks and {@code debug.info(f, "n")}
 * @param params declared parameters; for a method ({@code function a:b()}) the first one is the
 *     implicit {@code self}
 * @param method whether the function was declared with {@code :} and so has an implicit {@code self}
 * @param vararg whether the parameter list ends with {@code ...}
 * @param varargType the annotation of {@code ...} (a type or a generic pack), or {@code null}
 * @param returnType the declared return types, or {@code null} when not annotated
 */
public record FunctionBody(
    String name,
    List<Attribute> attributes,
    List<GenericParam> generics,
    List<GenericPackParam> genericPacks,
    List<Binding> params,
    boolean method,
    boolean vararg,
    TypePack varargType,
    TypePack returnType,
    Block body,
    Span span) {}
