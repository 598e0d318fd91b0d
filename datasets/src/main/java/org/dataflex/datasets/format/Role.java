package org.dataflex.datasets.format;

/** Speaker of a chat turn; USER/OBSERVATION turns are prompts, ASSISTANT/FUNCTION turns are responses. */
public enum Role {
    USER, ASSISTANT, OBSERVATION, FUNCTION;

    public boolean isPrompt() {
        return this == USER || this == OBSERVATION;
    }
}
