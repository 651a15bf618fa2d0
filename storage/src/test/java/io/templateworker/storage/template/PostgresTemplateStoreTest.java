package io.templateworker.storage.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.testing.TestPostgres;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PostgresTemplateStoreTest {

    static final TenantId T = TenantId.guild(9);
    PostgresTemplateStore store;

    @BeforeEach
    void setUp() {
        store = new PostgresTemplateStore(TestPostgres.freshDatabase());
    }

    static TemplateSpec spec(String name) {
        return new TemplateSpec(name, Map.of("init.luau", "return 1", "lib/util.luau", "return {}"),
                List.of("MESSAGE", "KeyExpiry[remind]", "MESSAGE"), List.of("discord:create_message"), false, "123456789012345678", null);
    }

    static TemplateSpec with(String field, Object value) {
        TemplateSpec s = spec("t");
        return switch (field) {
            case "name" -> new TemplateSpec((String) value, s.content(), s.events(), s.allowedCaps(), false, null, null);
            case "content" -> new TemplateSpec("t", cast(value), s.events(), s.allowedCaps(), false, null, null);
            case "events" -> new TemplateSpec("t", s.content(), cast(value), s.allowedCaps(), false, null, null);
            case "language" -> new TemplateSpec("t", s.content(), s.events(), s.allowedCaps(), false, null, (String) value);
            case "error_channel" -> new TemplateSpec("t", s.content(), s.events(), s.allowedCaps(), false, (String) value, null);
            default -> throw new IllegalArgumentException(field);
        };
    }

    @SuppressWarnings("unchecked")
    static <X> X cast(Object o) {
        return (X) o;
    }

    static Stream<Arguments> invalid() {
        Map<String, String> noInit = Map.of("main.luau", "return 1");
        Map<String, String> traversal = new LinkedHashMap<>(Map.of("init.luau", "x", "../etc/passwd", "x"));
        String[] many = new String[101];
        for (int i = 0; i < many.length; i++) {
            many[i] = "E" + i;
        }
        return Stream.of(
                Arguments.of(with("name", ""), "non-empty name"),
                Arguments.of(with("name", "$builtins"), "reserved for $builtins"),
                Arguments.of(with("name", "x".repeat(101)), "the limit is 100"),
                Arguments.of(with("content", Map.of()), "content is empty"),
                Arguments.of(with("content", noInit), "content has no init.luau"),
                Arguments.of(with("content", traversal), "'..' segment"),
                Arguments.of(with("content", Map.of("init.luau", "x".repeat(300_000))), "the limit is 262144"),
                Arguments.of(with("events", Arrays.asList(many)), "101 events; the limit is 100"),
                Arguments.of(with("language", "lua"), "unsupported language \"lua\""),
                Arguments.of(with("error_channel", "#general"), "not a channel id"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void invalid_templates_are_rejected_with_a_reason(TemplateSpec spec, String message) {
        assertThatThrownBy(() -> store.create(T, spec)).isInstanceOf(StoreException.class).hasMessageContaining(message);
        assertThat(store.list(T)).isEmpty();
    }

    @Test
    void create_get_list_update_delete() {
        Template created = store.create(T, spec("welcome"));
        assertThat(created.language()).isEqualTo("luau");
        assertThat(created.events()).containsExactly("MESSAGE", "KeyExpiry[remind]");
        assertThat(created.content()).containsEntry("init.luau", "return 1");
        assertThat(created.errorChannel()).isEqualTo("123456789012345678");
        store.create(T, spec("another"));
        assertThat(store.list(T)).extracting(Template::name).containsExactly("another", "welcome");

        TemplateSpec paused = new TemplateSpec("welcome-v2", Map.of("init.luau", "return 2"), List.of(), List.of("*"), true, null, "luau");
        Template updated = store.update(T, "welcome", paused);
        assertThat(updated.name()).isEqualTo("welcome-v2");
        assertThat(updated.paused()).isTrue();
        assertThat(store.get(T, "welcome")).isNull();
        assertThat(store.get(T, "welcome-v2").content()).containsExactly(Map.entry("init.luau", "return 2"));

        assertThat(store.delete(T, "welcome-v2")).isTrue();
        assertThat(store.delete(T, "welcome-v2")).isFalse();
        assertThat(store.list(T)).extracting(Template::name).containsExactly("another");
    }

    @Test
    void names_are_unique_per_tenant_only() {
        store.create(T, spec("dup"));
        assertThatThrownBy(() -> store.create(T, spec("dup")))
                .isInstanceOf(StoreException.class)
                .hasMessage("a template named \"dup\" already exists for guild/9; choose another name or update it");
        store.create(TenantId.guild(10), spec("dup"));
        store.create(T, spec("other"));
        assertThatThrownBy(() -> store.update(T, "other", spec("dup")))
                .extracting(e -> ((StoreException) e).kind()).isEqualTo(StoreException.Kind.CONFLICT);
        assertThatThrownBy(() -> store.update(T, "missing", spec("x")))
                .extracting(e -> ((StoreException) e).kind()).isEqualTo(StoreException.Kind.NOT_FOUND);
        assertThat(store.list(TenantId.guild(10))).hasSize(1);
        assertThat(store.get(TenantId.guild(10), "other")).isNull();
    }

    @Test
    void tenants_listening_lists_owners_of_unpaused_templates_with_the_event_on_one_worker() {
        TenantId onWorker0 = TenantId.guild(4L << 22);
        TenantId onWorker1 = TenantId.guild(5L << 22);
        TenantId paused = TenantId.guild(6L << 22);
        store.create(onWorker0, new TemplateSpec("a", Map.of("init.luau", "return {}"), List.of("OnStartup"), List.of(), false, null, null));
        store.create(onWorker0, new TemplateSpec("b", Map.of("init.luau", "return {}"), List.of("OnStartup", "E"), List.of(), false, null, null));
        store.create(onWorker1, new TemplateSpec("a", Map.of("init.luau", "return {}"), List.of("OnStartup"), List.of(), false, null, null));
        store.create(paused, new TemplateSpec("a", Map.of("init.luau", "return {}"), List.of("OnStartup"), List.of(), true, null, null));
        store.create(T, new TemplateSpec("a", Map.of("init.luau", "return {}"), List.of("E"), List.of(), false, null, null));

        assertThat(store.tenantsListening("OnStartup", 0, 2)).containsExactly(onWorker0);
        assertThat(store.tenantsListening("OnStartup", 1, 2)).containsExactly(onWorker1);
    }
}
