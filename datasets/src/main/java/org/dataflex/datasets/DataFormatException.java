package org.dataflex.datasets;

/** A data row or data file that cannot be used; the message starts with {@code file:line:} where known. */
public class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
