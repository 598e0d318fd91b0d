package org.dataflex.datasets.template;

import org.dataflex.datasets.NameSuggestions;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The built-in chat templates, named as in LLaMA-Factory. */
public final class ChatTemplates {
    private static final String IM_START = "<|im_start|>";
    private static final String IM_END = "<|im_end|>";
    private static final Map<String, ChatTemplate> TEMPLATES = new LinkedHashMap<>();

    static {
        register(ChatTemplate.builder("empty").build());
        register(ChatTemplate.builder("default")
                .system("System: {{content}}\n")
                .user("Human: {{content}}\nAssistant:")
                .assistant("{{content}}{{stop}}\n")
                .build());
        register(chatml("chatml", null));
        register(chatml("qwen", "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."));
        register(ChatTemplate.builder("llama3")
                .prefix("{{bos}}")
                .system("<|start_header_id|>system<|end_header_id|>\n\n{{content}}<|eot_id|>")
                .user("<|start_header_id|>user<|end_header_id|>\n\n{{content}}<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n")
                .observation("<|start_header_id|>ipython<|end_header_id|>\n\n{{content}}<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n")
                .assistant("{{content}}{{stop}}")
                .stopMarker("<|eot_id|>")
                .markers("<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>")
                .build());
        register(ChatTemplate.builder("llama2")
                .prefix("{{bos}}")
                .system("<<SYS>>\n{{content}}\n<</SYS>>\n\n")
                .user("[INST] {{content}} [/INST]")
                .assistant("{{content}}{{stop}}")
                .systemInsideFirstUser()
                .build());
    }

    private ChatTemplates() {}

    /** The template with this name (case-insensitive). */
    public static ChatTemplate get(String name) {
        String key = name == null || name.isBlank() ? "default" : name.trim().toLowerCase(Locale.ROOT);
        ChatTemplate t = TEMPLATES.get(key);
        if (t == null) {
            throw new IllegalArgumentException("unknown chat template '" + name + "'; available: "
                    + String.join(", ", TEMPLATES.keySet()) + NameSuggestions.hint(key, TEMPLATES.keySet()));
        }
        return t;
    }

    public static Set<String> names() {
        return TEMPLATES.keySet();
    }

    private static ChatTemplate chatml(String name, String defaultSystem) {
        return ChatTemplate.builder(name)
                .system(IM_START + "system\n{{content}}" + IM_END + "\n")
                .user(IM_START + "user\n{{content}}" + IM_END + "\n" + IM_START + "assistant\n")
                .observation(IM_START + "tool\n{{content}}" + IM_END + "\n" + IM_START + "assistant\n")
                .assistant("{{content}}{{stop}}\n")
                .stopMarker(IM_END)
                .markers(IM_START, IM_END)
                .defaultSystem(defaultSystem)
                .build();
    }

    private static void register(ChatTemplate t) {
        TEMPLATES.put(t.name(), t);
    }
}
