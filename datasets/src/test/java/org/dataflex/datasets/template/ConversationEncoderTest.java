package org.dataflex.datasets.template;

import org.dataflex.datasets.Example;
import org.dataflex.datasets.format.Conversation;
import org.dataflex.datasets.format.Message;
import org.dataflex.datasets.format.Role;
import org.dataflex.datasets.tokenizer.TextTokenizer;
import org.dataflex.datasets.tokenizer.TiktokenTokenizer;
import org.dataflex.datasets.tokenizer.TokenizerFiles;
import org.dataflex.datasets.tokenizer.Tokenizers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConversationEncoderTest {
    /** Bytes-only vocabulary (no merges) with our four specials at 256..259. */
    static final TextTokenizer BYTES = byteTokenizer();
    private static final int EOS = 256;
    private static final int IM_START = 258;
    private static final int IM_END = 259;
    private final TextTokenizer gpt2 = Tokenizers.load("gpt2");

    static TextTokenizer byteTokenizer() {
        List<byte[]> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) tokens.add(new byte[] {(byte) b});
        return TiktokenTokenizer.custom("bytes", TokenizerFiles.renderRanks(tokens),
                org.dataflex.datasets.tokenizer.PreTokenizer.R50K_PATTERN, 260,
                Map.of("<|endoftext|>", 256, "<|pad|>", 257, "<|im_start|>", 258, "<|im_end|>", 259), 256, 257);
    }

    private static Conversation chat(String... turns) {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < turns.length; i++) {
            messages.add(new Message(i % 2 == 0 ? Role.USER : Role.ASSISTANT, turns[i]));
        }
        return new Conversation(null, null, messages);
    }

    @Test
    void defaultTemplateMasksPromptAndTrainsResponsePlusEos() {
        ConversationEncoder enc = new ConversationEncoder(ChatTemplates.get("default"), gpt2, 1024);
        Example ex = enc.encode("d:0", "d", chat("What is 2+2?", " Four."));
        // template literals and content are encoded separately, as LLaMA-Factory encodes formatter slots
        int[] prompt = concat(gpt2.encode("Human: "), gpt2.encode("What is 2+2?"), gpt2.encode("\nAssistant:"));
        int[] response = gpt2.encode(" Four.");
        int[] expectedInputs = concat(prompt, response, new int[] {50256}, gpt2.encode("\n"));
        assertArrayEquals(expectedInputs, ex.inputIds());
        for (int t = 0; t < prompt.length; t++) assertEquals(Example.IGNORE_INDEX, ex.labels()[t], "prompt position " + t);
        for (int t = prompt.length; t < expectedInputs.length; t++) assertEquals(expectedInputs[t], ex.labels()[t]);
        assertEquals(50256, ex.labels()[prompt.length + response.length], "eos carries loss");
    }

    @Test
    void qwenTemplateUsesSpecialIdsAndKeepsUserMarkersAsText() {
        ConversationEncoder enc = new ConversationEncoder(ChatTemplates.get("qwen"), BYTES, 4096);
        Example ex = enc.encode("d:0", "d", chat("say <|im_end|> please", "ok"));
        int[] ids = ex.inputIds();
        // system, user and assistant headers: 3 im_start; system end, user end, assistant stop: 3 im_end
        assertEquals(3, count(ids, IM_START));
        assertEquals(3, count(ids, IM_END));
        assertEquals(IM_START, ids[0]);
        int stop = lastIndexOf(ids, IM_END);
        assertEquals(IM_END, ex.labels()[stop], "<|im_end|> after the response carries loss");
        assertEquals('\n', ex.labels()[stop + 1]);
        assertEquals(stop + 2, ids.length);
        // exactly "ok" + <|im_end|> + "\n" carry loss, nothing before
        long withLoss = Arrays.stream(ex.labels()).filter(l -> l != Example.IGNORE_INDEX).count();
        assertEquals(4, withLoss);
        String decodedPrompt = BYTES.decode(Arrays.copyOf(ids, stop - 2));
        assertTrue(decodedPrompt.contains("say <|im_end|> please"), decodedPrompt);
        assertTrue(decodedPrompt.contains("You are Qwen"), "qwen's default system prompt: " + decodedPrompt);
    }

    @Test
    void chatmlWithoutSpecialsFallsBackToTextPlusEos() {
        ConversationEncoder enc = new ConversationEncoder(ChatTemplates.get("chatml"), gpt2, 4096);
        Example ex = enc.encode("d:0", "d", chat("hi", "yo"));
        String text = gpt2.decode(ex.inputIds());
        assertEquals("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nyo<|im_end|><|endoftext|>\n", text);
        assertEquals(1, count(ex.inputIds(), 50256));
    }

    @Test
    void multiTurnTrainsEveryAssistantTurnAndUsesSystem() {
        ConversationEncoder enc = new ConversationEncoder(ChatTemplates.get("chatml"), BYTES, 4096);
        Conversation c = new Conversation("be brief", null, List.of(new Message(Role.USER, "a"),
                new Message(Role.ASSISTANT, "B"), new Message(Role.USER, "c"), new Message(Role.ASSISTANT, "D")));
        Example ex = enc.encode("d:0", "d", c);
        String trained = labelledText(ex);
        assertEquals("B<|im_end|>\nD<|im_end|>\n", trained.replace("\u0000", ""));
        assertTrue(BYTES.decode(ex.inputIds()).startsWith("<|im_start|>system\nbe brief<|im_end|>\n"));
    }

    @Test
    void truncationKeepsResponseTokens() {
        ConversationEncoder enc = new ConversationEncoder(ChatTemplates.get("empty"), BYTES, 20);
        Example ex = enc.encode("d:0", "d", chat("p".repeat(100), "r".repeat(100)));
        assertEquals(20, ex.length());
        assertTrue(ex.lossTokens() > 0);
        assertArrayEquals(new int[] {10, 10}, ConversationEncoder.truncatedLengths(100, 100, 20));
        assertArrayEquals(new int[] {5, 3}, ConversationEncoder.truncatedLengths(5, 3, 20));
        assertArrayEquals(new int[] {3, 17}, ConversationEncoder.truncatedLengths(3, 100, 20));
    }

    @Test
    void llama3MarkersArePlainTextForGpt2AndStopEndsWithEos() {
        ConversationEncoder enc = new ConversationEncoder(ChatTemplates.get("llama3"), gpt2, 4096);
        Example ex = enc.encode("d:0", "d", chat("q", "a"));
        String text = gpt2.decode(ex.inputIds());
        assertTrue(text.startsWith("<|start_header_id|>user<|end_header_id|>\n\nq<|eot_id|>"), text);
        assertTrue(text.endsWith("a<|eot_id|><|endoftext|>"), text);
        assertEquals(50256, ex.labels()[ex.length() - 1]);
    }

    @Test
    void unknownTemplateSuggestsNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChatTemplates.get("qwn"));
        assertTrue(e.getMessage().contains("did you mean qwen"), e.getMessage());
    }

    private static String labelledText(Example ex) {
        StringBuilder sb = new StringBuilder();
        List<Integer> run = new ArrayList<>();
        for (int l : ex.labels()) if (l != Example.IGNORE_INDEX) run.add(l);
        sb.append(BYTES.decode(run.stream().mapToInt(Integer::intValue).toArray()));
        return sb.toString();
    }

    private static int count(int[] ids, int id) {
        return (int) Arrays.stream(ids).filter(x -> x == id).count();
    }

    private static int lastIndexOf(int[] ids, int id) {
        for (int i = ids.length - 1; i >= 0; i--) if (ids[i] == id) return i;
        return -1;
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }
}
