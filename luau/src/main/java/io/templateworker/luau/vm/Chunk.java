package io.templateworker.luau.vm;

/** A compiled chunk: the prototype of its main function. Immutable; load it into any number of VMs. */
public record Chunk(String chunkName, Proto main) {
}
