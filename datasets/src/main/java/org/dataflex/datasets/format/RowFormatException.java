package org.dataflex.datasets.format;

/** A row that does not fit its dataset's format; the message is the reason, without a location. */
public final class RowFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RowFormatException(String reason) {
        super(reason, null, false, false);
    }
}
