package org.dataflex.driver.config;

import java.util.List;

/**
 * A configuration that cannot be used. The message lists every problem found, one per line, each naming the
 * file (and line where known) and the key, so a user fixes all of them in one pass.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super(format(source, problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String source, String problem) {
        this(source, List.of(problem));
    }

    /** The individual problems, in the order they were found. */
    public List<String> problems() {
        return problems;
    }

    private static String format(String source, List<String> problems) {
        StringBuilder text = new StringBuilder();
        text.append(problems.size() == 1 ? "1 problem" : problems.size() + " problems")
                .append(" in configuration ").append(source).append(':');
        for (String problem : problems) {
            text.append(System.lineSeparator()).append("  - ").append(problem);
        }
        return text.toString();
    }
}
