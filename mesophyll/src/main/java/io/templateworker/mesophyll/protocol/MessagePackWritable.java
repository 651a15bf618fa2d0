package io.templateworker.mesophyll.protocol;

/**
 * A value inside a per-event message (an event's data, a reply's value) that can write its MessagePack itself, the
 * same bytes as its Jackson serialisation, without a generator (see {@link MsgPackWriter}). Wrapped in a
 * {@code POJONode} like any value that serialises itself.
 */
public interface MessagePackWritable {
  /**
   * Writes this value to {@code out} and returns true; or returns false when it cannot (e.g. a kind of value it does
   * not write itself), and the encoder drops whatever it wrote and serialises the value through Jackson.
   */
  boolean writeMessagePack(MsgPackWriter out);
}
