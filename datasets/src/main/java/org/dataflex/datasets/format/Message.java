package org.dataflex.datasets.format;

import java.io.Serializable;

/** One chat turn. */
public record Message(Role role, String content) implements Serializable {}
