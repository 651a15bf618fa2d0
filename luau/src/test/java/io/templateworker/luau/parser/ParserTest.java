package io.templateworker.luau.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.ast.AstPrinter;
import io.templateworker.luau.ast.Expr;
import io.templateworker.luau.ast.FunctionBody;
import io.templateworker.luau.ast.Stat;
import io.templateworker.luau.lexer.Span;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ParserTest {

  static ParseResult parse(String source) {
    return Parser.parse(source.getBytes(StandardCharsets.UTF_8), "test");
  }

  /** The AST dump of a source that must parse without errors. */
  static String dump(String source) {
    ParseResult r = parse(source);
    assertThat(r.errors()).as("errors parsing %s", source).isEmpty();
    return AstPrinter.print(r.chunk()).strip();
  }

  /** The dump of the value assigned by {@code x = <expr>}. */
  static String expr(String expression) {
    String d = dump("x = " + expression);
    assertThat(d).startsWith("(assign x = ");
    return d.substring("(assign x = ".length(), d.length() - 1);
  }

  @Test
  void local_declarations() {
    assertThat(dump("local a")).isEqualTo("(local a)");
    assertThat(dump("local a, b: number = 1, 'x'")).isEqualTo("(local a b:number = 1 \"x\")");
  }

  @Test
  void assignments_and_targets() {
    assertThat(dump("a, b.c, d[1] = 1, 2, 3"))
        .isEqualTo("(assign a (. b c) (index d 1) = 1 2 3)");
    assertThat(dump("a.b.c[d].e = f")).isEqualTo("(assign (. (index (. (. a b) c) d) e) = f)");
  }

  @Test
  void every_compound_assignment() {
    assertThat(dump("a += 1 a -= 1 a *= 1 a /= 1 a //= 1 a %= 1 a ^= 1 a ..= 's' t.x += 1"))
        .isEqualTo("""
            (+= a 1)
            (-= a 1)
            (*= a 1)
            (/= a 1)
            (//= a 1)
            (%= a 1)
            (^= a 1)
            (..= a "s")
            (+= (. t x) 1)""");
  }

  @Test
  void call_statements_in_every_argument_form() {
    assertThat(dump("f() f(1, 2) f'a' f{1} o:m(1) o:m'x' o:m{} a.b.c(1)(2)"))
        .isEqualTo("""
            (callstat (call f))
            (callstat (call f 1 2))
            (callstat (call f "a"))
            (callstat (call f (table 1)))
            (callstat (: o m 1))
            (callstat (: o m "x"))
            (callstat (: o m (table)))
            (callstat (call (call (. (. a b) c) 1) 2))""");
  }

  @Test
  void control_flow_statements() {
    assertThat(dump("do end while a do end repeat until b if a then elseif b then else end"))
        .isEqualTo("""
            (do
            )
            (while a
            )
            (repeat
            until b)
            (if a
            elseif b
            else
            )""");
  }

  @Test
  void numeric_and_generic_for() {
    assertThat(dump("for i = 1, 10 do end")).isEqualTo("(for i = 1 10\n)");
    assertThat(dump("for i: number = 10, 1, -1 do end")).isEqualTo("(for i:number = 10 1 (- 1)\n)");
    assertThat(dump("for k, v: string in pairs(t) do end")).isEqualTo("(forin k v:string in (call pairs t)\n)");
    assertThat(dump("for _, v in t do end")).isEqualTo("(forin _ v in t\n)");
  }

  @Test
  void break_and_continue_inside_loops() {
    assertThat(dump("while true do break end")).isEqualTo("(while true\n  (break)\n)");
    assertThat(dump("for i = 1, 2 do if i then continue end end"))
        .isEqualTo("(for i = 1 2\n  (if i\n    (continue)\n  )\n)");
    assertThat(dump("repeat continue until x")).isEqualTo("(repeat\n  (continue)\nuntil x)");
  }

  @Test
  void continue_is_an_ordinary_name_elsewhere() {
    assertThat(dump("continue = 1 continue() local continue = 2 x = continue.y"))
        .isEqualTo("""
            (assign continue = 1)
            (callstat (call continue))
            (local continue = 2)
            (assign x = (. continue y))""");
  }

  @Test
  void type_and_export_are_ordinary_names_unless_they_start_a_declaration() {
    assertThat(dump("type(x) type = 1 export = 2 local t = type"))
        .isEqualTo("""
            (callstat (call type x))
            (assign type = 1)
            (assign export = 2)
            (local t = type)""");
  }

  @Test
  void return_forms() {
    assertThat(dump("return")).isEqualTo("(return)");
    assertThat(dump("return;")).isEqualTo("(return)");
    assertThat(dump("return 1, ...")).isEqualTo("(return 1 ...)");
    assertThat(dump("do return end")).isEqualTo("(do\n  (return)\n)");
  }

  @Test
  void function_declarations() {
    assertThat(dump("function f(a, b, ...) end")).isEqualTo("(function f (fn name=f (a b ...)\n))");
    assertThat(dump("function a.b.c:m() end"))
        .isEqualTo("(function (. (. (. a b) c) m) (fn name=m method (self)\n))");
    assertThat(dump("local function g<T>(x: T): T return x end"))
        .isEqualTo("(localfunction g (fn name=g <T> (x:T) -> (T)\n  (return x)\n))");
  }

  @Test
  void method_declarations_get_an_implicit_self_parameter() {
    Stat.Function f = (Stat.Function) parse("function obj:m(a) end").chunk().stats().get(0);
    FunctionBody body = f.body();
    assertThat(body.method()).isTrue();
    assertThat(body.params()).extracting(b -> b.name()).containsExactly("self", "a");
  }

  @Test
  void vararg_annotations() {
    assertThat(dump("function f(...: number) end")).isEqualTo("(function f (fn name=f (...:...number)\n))");
    assertThat(dump("function f<T...>(...: T...) end")).isEqualTo("(function f (fn name=f <T...> (...:T...)\n))");
  }

  @Test
  void attributes_on_every_function_form() {
    assertThat(dump("@native function f() end")).isEqualTo("(function f (fn @native name=f ()\n))");
    assertThat(dump("@checked @deprecated local function f() end"))
        .isEqualTo("(localfunction f (fn @checked @deprecated name=f ()\n))");
    assertThat(dump("local f = @native function() end")).isEqualTo("(local f = (fn @native ()\n))");
    assertThat(dump("@[deprecated {use = 'g', reason = \"old\"}, native] function f() end"))
        .isEqualTo("(function f (fn @deprecated((table (use = \"g\") (reason = \"old\"))) @native name=f ()\n))");
    assertThat(dump("@[native, checked] @deprecated function f() end"))
        .isEqualTo("(function f (fn @native @checked @deprecated name=f ()\n))");
  }

  @Test
  void type_alias_and_type_function_statements() {
    assertThat(dump("type A = number")).isEqualTo("(type A = number)");
    assertThat(dump("export type B<T> = {T}")).isEqualTo("(export type B <T> = {[number]: T})");
    assertThat(dump("type function F(t) return t end"))
        .isEqualTo("(typefunction F (fn name=F (t)\n  (return t)\n))");
    assertThat(dump("export type function G() end")).isEqualTo("(export typefunction G (fn name=G ()\n))");
  }

  @Test
  void literals() {
    assertThat(expr("nil")).isEqualTo("nil");
    assertThat(expr("true")).isEqualTo("true");
    assertThat(expr("false")).isEqualTo("false");
    assertThat(expr("0x10")).isEqualTo("16");
    assertThat(expr("1.5")).isEqualTo("1.5");
    assertThat(expr("42i")).isEqualTo("42i");
    assertThat(expr("[[long]]")).isEqualTo("\"long\"");
    assertThat(expr("'\\0\\255'")).isEqualTo("\"\\0\\255\"");
  }

  @Test
  void arithmetic_precedence() {
    assertThat(expr("1 + 2 * 3 - 4")).isEqualTo("(- (+ 1 (* 2 3)) 4)");
    assertThat(expr("a / b // c % d")).isEqualTo("(% (// (/ a b) c) d)");
    assertThat(expr("(1 + 2) * 3")).isEqualTo("(* (paren (+ 1 2)) 3)");
  }

  @Test
  void power_is_right_associative_and_binds_tighter_than_unary_on_its_left() {
    assertThat(expr("2 ^ 3 ^ 2")).isEqualTo("(^ 2 (^ 3 2))");
    assertThat(expr("-x ^ 2")).isEqualTo("(- (^ x 2))");
    assertThat(expr("2 ^ -3 ^ 2")).isEqualTo("(^ 2 (- (^ 3 2)))");
    assertThat(expr("not a ^ b")).isEqualTo("(not (^ a b))");
  }

  @Test
  void unary_operators_bind_tighter_than_binary_ones() {
    assertThat(expr("-a + b")).isEqualTo("(+ (- a) b)");
    assertThat(expr("#t * 2")).isEqualTo("(* (# t) 2)");
    assertThat(expr("not a == b")).isEqualTo("(== (not a) b)");
    assertThat(expr("- - a")).isEqualTo("(- (- a))");
  }

  @Test
  void concat_is_right_associative_and_below_arithmetic() {
    assertThat(expr("a .. b .. c")).isEqualTo("(.. a (.. b c))");
    assertThat(expr("1 + 2 .. 3 * 4")).isEqualTo("(.. (+ 1 2) (* 3 4))");
    assertThat(expr("a .. b == c")).isEqualTo("(== (.. a b) c)");
  }

  @Test
  void comparison_and_logic() {
    assertThat(expr("a < b == c")).isEqualTo("(== (< a b) c)");
    assertThat(expr("a or b and c")).isEqualTo("(or a (and b c))");
    assertThat(expr("a and b or c and d")).isEqualTo("(or (and a b) (and c d))");
    assertThat(expr("a ~= b and c >= d or e <= f and g > h"))
        .isEqualTo("(or (and (~= a b) (>= c d)) (and (<= e f) (> g h)))");
  }

  @Test
  void type_casts_bind_to_the_simple_expression() {
    assertThat(expr("a + b :: number")).isEqualTo("(+ a (:: b number))");
    assertThat(expr("-x :: number")).isEqualTo("(- (:: x number))");
    assertThat(expr("(f()) :: any")).isEqualTo("(:: (paren (call f)) any)");
  }

  @Test
  void if_then_else_expressions() {
    assertThat(expr("if a then 1 else 2")).isEqualTo("(ifexpr a 1 2)");
    assertThat(expr("if a then 1 elseif b then 2 elseif c then 3 else 4"))
        .isEqualTo("(ifexpr a 1 (ifexpr b 2 (ifexpr c 3 4)))");
    assertThat(expr("1 + if a then 1 else 2 + 3")).isEqualTo("(+ 1 (ifexpr a 1 (+ 2 3)))");
  }

  @Test
  void interpolated_strings() {
    assertThat(expr("`plain`")).isEqualTo("\"plain\"");
    assertThat(expr("`a{1}b{x.y}c`")).isEqualTo("(interp \"a\" 1 \"b\" (. x y) \"c\")");
    assertThat(expr("`{`{x}`}`")).isEqualTo("(interp \"\" (interp \"\" x \"\") \"\")");
    assertThat(expr("`{ {1, 2} }`")).isEqualTo("(interp \"\" (table 1 2) \"\")");
  }

  @Test
  void table_constructors() {
    assertThat(expr("{}")).isEqualTo("(table)");
    assertThat(expr("{1, 2; 3,}")).isEqualTo("(table 1 2 3)");
    assertThat(expr("{a = 1, ['b'] = 2, [f()] = g(), h()}"))
        .isEqualTo("(table (a = 1) ([\"b\"] = 2) ([(call f)] = (call g)) (call h))");
  }

  @Test
  void functions_in_named_table_fields_take_the_field_name() {
    assertThat(expr("{ go = function() end, [1] = function() end }"))
        .isEqualTo("(table (go = (fn name=go ()\n)) ([1] = (fn ()\n)))");
  }

  @Test
  void anonymous_functions_and_varargs() {
    assertThat(expr("function(a, ...) return ... end"))
        .isEqualTo("(fn (a ...)\n  (return ...)\n)");
    assertThat(dump("local t = {...}")).isEqualTo("(local t = (table ...))");
  }

  @Test
  void explicit_type_instantiation() {
    assertThat(expr("f<<number>>")).isEqualTo("(instantiate f <<number>>)");
    assertThat(expr("f<<number, string>>(1)")).isEqualTo("(call (instantiate f <<number string>>) 1)");
    assertThat(expr("t.f<<T>>()")).isEqualTo("(call (instantiate (. t f) <<T>>))");
    assertThat(expr("t:f<<T>>()")).isEqualTo("(: t f <<T>>)");
    assertThat(expr("t['f']<<Array<number>>>()"))
        .isEqualTo("(call (instantiate (index t \"f\") <<Array<number>>>))");
    assertThat(expr("f<<(A, B), ...C>>()")).isEqualTo("(call (instantiate f <<(A, B) ...C>>))");
    assertThat(expr("a < b")).isEqualTo("(< a b)");
  }

  @Test
  void parenthesised_expressions_are_kept_because_they_truncate_to_one_value() {
    assertThat(dump("return (f())")).isEqualTo("(return (paren (call f)))");
    assertThat(dump("return (...)")).isEqualTo("(return (paren ...))");
  }

  @Test
  void operators_from_other_languages_parse_as_luau_ones_but_are_errors() {
    ParseResult r = parse("x = !a && b || c != d");
    assertThat(r.errors()).extracting(ParseError::message).containsExactly(
        "Unexpected '!'; did you mean 'not'?", "Unexpected '&&'; did you mean 'and'?",
        "Unexpected '||'; did you mean 'or'?", "Unexpected '!='; did you mean '~='?");
    assertThat(AstPrinter.print(r.chunk()).strip()).isEqualTo("(assign x = (or (and (not a) b) (~= c d)))");
  }

  @Test
  void a_call_on_a_new_line_inside_an_expression_ends_the_expression() {
    ParseResult r = parse("local x = f\n(g)()");
    assertThat(r.errors()).extracting(ParseError::line).containsExactly(2);
    assertThat(AstPrinter.print(r.chunk()).strip()).isEqualTo("(local x = f)\n(callstat (call (paren g)))");
  }

  @Test
  void semicolons_separate_statements() {
    assertThat(dump("a = 1; b = 2;")).isEqualTo("(assign a = 1)\n(assign b = 2)");
  }

  @Test
  void hot_comments_reach_the_result() {
    ParseResult r = parse("--!strict\nlocal x = 1");
    assertThat(r.hotComments()).hasSize(1);
    assertThat(r.hotComments().get(0).content()).isEqualTo("strict");
    assertThat(r.hotComments().get(0).header()).isTrue();
  }

  @Test
  void nodes_carry_their_source_spans() {
    ParseResult r = parse("local x = foo.bar(1)\nif x then\n  y = 2\nend");
    Stat.Local local = (Stat.Local) r.chunk().stats().get(0);
    assertThat(local.span()).isEqualTo(new Span(1, 1, 1, 21));
    Expr.Call call = (Expr.Call) local.values().get(0);
    assertThat(call.span()).isEqualTo(new Span(1, 11, 1, 21));
    assertThat(call.function().span()).isEqualTo(new Span(1, 11, 1, 18));
    Stat.If ifStat = (Stat.If) r.chunk().stats().get(1);
    assertThat(ifStat.span()).isEqualTo(new Span(2, 1, 4, 4));
    Stat assign = ifStat.clauses().get(0).body().stats().get(0);
    assertThat(assign.span()).isEqualTo(new Span(3, 3, 3, 8));
  }

  @Test
  void empty_and_comment_only_sources_parse_to_an_empty_chunk() {
    assertThat(parse("").chunk().stats()).isEmpty();
    assertThat(parse("-- nothing\n--[[ here ]]").ok()).isTrue();
  }
}
