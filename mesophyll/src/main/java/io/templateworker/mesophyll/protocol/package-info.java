/**
 * The Mesophyll wire protocol between the master and its process workers: the sealed set of
 * {@link io.templateworker.mesophyll.protocol.Message} records, their MessagePack codec and the
 * protocol version. Values (events, results, DB payloads) travel as JSON trees in the tagged
 * KhronosValue form, so this package does not depend on any runtime value class.
 */
package io.templateworker.mesophyll.protocol;
