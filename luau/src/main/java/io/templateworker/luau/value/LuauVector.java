package io.templateworker.luau.value;

/** Luau's native 3-component float vector; a value type compared by content. */
public record LuauVector(float x, float y, float z) {
}
