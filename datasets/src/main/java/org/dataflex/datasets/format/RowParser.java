package org.dataflex.datasets.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dataflex.datasets.DatasetEntry;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one JSON row of a dataset into pretraining text or a {@link Conversation}, following LLaMA-Factory's
 * alpaca and sharegpt converters. Problems are thrown as {@link RowFormatException} with the reason.
 */
public final class RowParser implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DatasetEntry entry;

    public RowParser(DatasetEntry entry) {
        this.entry = entry;
    }

    public JsonNode parse(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RowFormatException("invalid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new RowFormatException("expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType()));
        }
        return node;
    }

    /**
     * Pretraining text: the alpaca prompt column (plus the query column when present), or the first message of
     * a sharegpt conversation, as LLaMA-Factory's pt stage does.
     */
    public String pretrainText(JsonNode row) {
        String text;
        if (entry.formatting() == DatasetEntry.Formatting.ALPACA) {
            String promptColumn = entry.column("prompt");
            String prompt = optionalString(row, promptColumn);
            if (prompt == null) throw new RowFormatException("missing field '" + promptColumn + "'");
            String query = optionalString(row, entry.column("query"));
            text = query == null || query.isEmpty() ? prompt : prompt + "\n" + query;
        } else {
            List<Message> messages = shareGptMessages(row, new String[1]);
            text = messages.isEmpty() ? "" : messages.get(0).content();
        }
        if (text.isBlank()) throw new RowFormatException("empty text");
        return text;
    }

    public Conversation conversation(JsonNode row) {
        return entry.formatting() == DatasetEntry.Formatting.ALPACA ? alpaca(row) : shareGpt(row);
    }

    private Conversation alpaca(JsonNode row) {
        List<Message> messages = new ArrayList<>();
        String historyColumn = entry.column("history");
        JsonNode history = historyColumn == null ? null : row.get(historyColumn);
        if (history != null && !history.isNull()) {
            if (!history.isArray()) throw new RowFormatException("field '" + historyColumn + "' must be a list of [prompt, response] pairs");
            for (int i = 0; i < history.size(); i++) {
                JsonNode pair = history.get(i);
                if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
                    throw new RowFormatException("field '" + historyColumn + "'[" + i + "] must be [prompt, response] strings");
                }
                messages.add(new Message(Role.USER, pair.get(0).asText()));
                messages.add(new Message(Role.ASSISTANT, pair.get(1).asText()));
            }
        }
        String promptColumn = entry.column("prompt");
        String queryColumn = entry.column("query");
        String instruction = optionalString(row, promptColumn);
        String input = optionalString(row, queryColumn);
        if (instruction == null && input == null) {
            throw new RowFormatException("missing field '" + promptColumn + "'");
        }
        List<String> parts = new ArrayList<>(2);
        if (instruction != null && !instruction.isEmpty()) parts.add(instruction);
        if (input != null && !input.isEmpty()) parts.add(input);
        messages.add(new Message(Role.USER, String.join("\n", parts)));

        String responseColumn = entry.column("response");
        String response = optionalString(row, responseColumn);
        if (response == null) throw new RowFormatException("missing field '" + responseColumn + "'");
        if (response.isBlank()) throw new RowFormatException("empty response in field '" + responseColumn + "'");
        messages.add(new Message(Role.ASSISTANT, response));
        return new Conversation(optionalString(row, entry.column("system")), null, messages);
    }

    private Conversation shareGpt(JsonNode row) {
        String[] leadingSystem = new String[1];
        List<Message> messages = shareGptMessages(row, leadingSystem);
        if (messages.isEmpty()) throw new RowFormatException("empty conversation");
        for (int i = 0; i < messages.size(); i++) {
            boolean wantPrompt = i % 2 == 0;
            if (messages.get(i).role().isPrompt() != wantPrompt) {
                throw new RowFormatException("message " + i + " has role " + messages.get(i).role().name().toLowerCase()
                        + " but turns must alternate user/observation and assistant/function, starting with user");
            }
        }
        if (messages.size() % 2 != 0) {
            throw new RowFormatException("conversation ends with a " + messages.get(messages.size() - 1).role().name()
                    .toLowerCase() + " turn; it must end with an assistant response");
        }
        if (messages.get(messages.size() - 1).content().isBlank()) {
            throw new RowFormatException("empty response in the last assistant message");
        }
        String system = optionalString(row, entry.column("system"));
        if (system == null) system = leadingSystem[0];
        return new Conversation(system, optionalString(row, entry.column("tools")), messages);
    }

    /** Messages of a sharegpt row; a leading system message goes to {@code leadingSystem[0]}. */
    private List<Message> shareGptMessages(JsonNode row, String[] leadingSystem) {
        String column = entry.column("messages");
        JsonNode list = row.get(column);
        if (list == null || list.isNull()) throw new RowFormatException("missing field '" + column + "'");
        if (!list.isArray()) throw new RowFormatException("field '" + column + "' must be a list of messages");
        String roleTag = entry.tag("role_tag");
        String contentTag = entry.tag("content_tag");
        Map<String, Role> roles = new LinkedHashMap<>();
        roles.putIfAbsent(entry.tag("user_tag"), Role.USER);
        roles.putIfAbsent(entry.tag("assistant_tag"), Role.ASSISTANT);
        roles.putIfAbsent(entry.tag("observation_tag"), Role.OBSERVATION);
        roles.putIfAbsent(entry.tag("function_tag"), Role.FUNCTION);
        String systemTag = entry.tag("system_tag");
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            if (!m.isObject()) throw new RowFormatException(column + "[" + i + "] must be an object");
            JsonNode roleNode = m.get(roleTag);
            JsonNode contentNode = m.get(contentTag);
            if (roleNode == null || !roleNode.isTextual()) {
                throw new RowFormatException(column + "[" + i + "] has no string '" + roleTag + "'");
            }
            if (contentNode == null || !contentNode.isTextual()) {
                throw new RowFormatException(column + "[" + i + "] has no string '" + contentTag + "'");
            }
            String role = roleNode.asText();
            if (i == 0 && role.equals(systemTag)) {
                leadingSystem[0] = contentNode.asText();
                continue;
            }
            Role mapped = roles.get(role);
            if (mapped == null) {
                throw new RowFormatException(column + "[" + i + "] has unknown role '" + role + "' (expected one of "
                        + roles.keySet().stream().sorted().toList() + ")");
            }
            messages.add(new Message(mapped, contentNode.asText()));
        }
        return messages;
    }

    /** A string field, or null when absent or null; any other JSON type is an error. */
    private static String optionalString(JsonNode row, String column) {
        if (column == null) return null;
        JsonNode v = row.get(column);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) {
            throw new RowFormatException("field '" + column + "' must be a string, got " + v.getNodeType().name().toLowerCase());
        }
        return v.asText();
    }
}
