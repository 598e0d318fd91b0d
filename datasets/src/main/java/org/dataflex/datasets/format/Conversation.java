package org.dataflex.datasets.format;

import java.io.Serializable;
import java.util.List;

/**
 * A normalised SFT row: optional system prompt and tool description, then prompt/response turns alternating
 * and starting with a prompt ({@link Role#isPrompt()}), ending with a response.
 */
public record Conversation(String system, String tools, List<Message> messages) implements Serializable {
    public Conversation {
        messages = List.copyOf(messages);
    }
}
