package org.dataflex.driver.config;

/**
 * One raw {@code key: value} as written by the user, before typing.
 *
 * @param key    flat key, dotted for nested entries (e.g. {@code spark.executor.memory})
 * @param value  the plain Java value: String, Number, Boolean, List, or null
 * @param origin where it was written, e.g. {@code conf/less.yaml:12} or {@code command line override #1}
 */
record Setting(String key, Object value, String origin) {
}
