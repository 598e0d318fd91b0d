package org.dataflex.datasets.template;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chat template: how system, user, assistant and observation turns are laid out around their content.
 *
 * <p>Formats are strings with placeholders {@code {{content}}} (the message, always encoded as plain text),
 * {@code {{stop}}} (end of an assistant turn), {@code {{eos}}} and {@code {{bos}}}. Literal text may contain the
 * template's {@link #markers()} (such as {@code <|im_start|>}), which become special ids when the tokenizer has
 * them and plain text otherwise. The separator goes before every prompt turn except the first.
 */
public final class ChatTemplate implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(content|stop|eos|bos)}}");

    /** A piece of a parsed format. */
    public record Part(Kind kind, String literal) implements Serializable {}

    /** What a {@link Part} stands for. */
    public enum Kind { LITERAL, CONTENT, STOP, EOS, BOS }

    private final String name;
    private final List<Part> prefix;
    private final List<Part> system;
    private final List<Part> user;
    private final List<Part> assistant;
    private final List<Part> observation;
    private final List<Part> separator;
    private final String defaultSystem;
    private final String stopMarker;
    private final List<String> markers;
    private final boolean systemInsideFirstUser;

    private ChatTemplate(Builder b) {
        this.name = b.name;
        this.prefix = parse(b.prefix);
        this.system = parse(b.system);
        this.user = parse(b.user);
        this.assistant = parse(b.assistant);
        this.observation = parse(b.observation != null ? b.observation : b.user);
        this.separator = parse(b.separator);
        this.defaultSystem = b.defaultSystem;
        this.stopMarker = b.stopMarker;
        this.markers = List.copyOf(b.markers);
        this.systemInsideFirstUser = b.systemInsideFirstUser;
    }

    public String name() { return name; }
    public List<Part> prefix() { return prefix; }
    public List<Part> system() { return system; }
    public List<Part> user() { return user; }
    public List<Part> assistant() { return assistant; }
    public List<Part> observation() { return observation; }
    public List<Part> separator() { return separator; }
    /** System prompt used when a row has none; null for none. */
    public String defaultSystem() { return defaultSystem; }
    /** Special string ending an assistant turn; null means the tokenizer's eos. */
    public String stopMarker() { return stopMarker; }
    public List<String> markers() { return markers; }
    /** True when the rendered system text is prepended to the first user message (llama2 style). */
    public boolean systemInsideFirstUser() { return systemInsideFirstUser; }

    static Builder builder(String name) {
        return new Builder(name);
    }

    private static List<Part> parse(String format) {
        List<Part> parts = new ArrayList<>();
        if (format == null || format.isEmpty()) return parts;
        Matcher m = PLACEHOLDER.matcher(format);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) parts.add(new Part(Kind.LITERAL, format.substring(last, m.start())));
            parts.add(new Part(Kind.valueOf(m.group(1).toUpperCase()), null));
            last = m.end();
        }
        if (last < format.length()) parts.add(new Part(Kind.LITERAL, format.substring(last)));
        return List.copyOf(parts);
    }

    static final class Builder {
        private final String name;
        private String prefix = "";
        private String system = "{{content}}";
        private String user = "{{content}}";
        private String assistant = "{{content}}{{stop}}";
        private String observation;
        private String separator = "";
        private String defaultSystem;
        private String stopMarker;
        private List<String> markers = List.of();
        private boolean systemInsideFirstUser;

        private Builder(String name) { this.name = name; }

        Builder prefix(String v) { prefix = v; return this; }
        Builder system(String v) { system = v; return this; }
        Builder user(String v) { user = v; return this; }
        Builder assistant(String v) { assistant = v; return this; }
        Builder observation(String v) { observation = v; return this; }
        Builder separator(String v) { separator = v; return this; }
        Builder defaultSystem(String v) { defaultSystem = v; return this; }
        Builder stopMarker(String v) { stopMarker = v; return this; }
        Builder markers(String... v) { markers = List.of(v); return this; }
        Builder systemInsideFirstUser() { systemInsideFirstUser = true; return this; }
        ChatTemplate build() { return new ChatTemplate(this); }
    }
}
