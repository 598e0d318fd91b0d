package org.dataflex.algorithms.select.testsupport;

/** A selector without a usable constructor (neither Map nor no-arg). */
public class StringConstructorSelector extends NoArgSelector {
    public StringConstructorSelector(String unused) {
        super();
    }
}
