package org.dataflex.driver.cli;

/** A mistake on the command line: printed as one message with exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
