package org.dataflex.algorithms.select.testsupport;

/** Loadable, but does not implement Selector. */
public class NotASelector {
}
