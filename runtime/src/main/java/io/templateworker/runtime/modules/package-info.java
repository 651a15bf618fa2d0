/**
 * The core {@code @antiraid/*} modules templates {@code require} (UPSTREAM.md §8.12): datetime, channel,
 * interop, json, luau, datamgmt and typesext. {@link CoreModules#install} puts them into a tenant VM; each
 * module table is made on its first {@code require} in that VM and frozen, as upstream's read-only tables.
 */
package io.templateworker.runtime.modules;
