package org.dataflex.datasets.template;

import org.dataflex.datasets.Example;
import org.dataflex.datasets.format.Conversation;
import org.dataflex.datasets.format.Message;
import org.dataflex.datasets.format.Role;
import org.dataflex.datasets.tokenizer.TextTokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Renders a {@link Conversation} through a {@link ChatTemplate} into token ids with SFT labels: prompt tokens
 * are {@link Example#IGNORE_INDEX}, assistant tokens (including the stop marker/eos) carry loss.
 *
 * <p>Truncation follows LLaMA-Factory: turn pairs are added while budget remains, and each pair's
 * source/target lengths are cut so a long prompt cannot crowd out the whole response. Not thread-safe (it caches
 * encoded template literals); create one per partition.
 */
public final class ConversationEncoder {
    private final ChatTemplate template;
    private final TextTokenizer tokenizer;
    private final int cutoffLen;
    private final int[] stopIds;
    private final Map<String, int[]> literalCache = new HashMap<>();

    public ConversationEncoder(ChatTemplate template, TextTokenizer tokenizer, int cutoffLen) {
        if (cutoffLen <= 0) throw new IllegalArgumentException("cutoff_len must be positive, got " + cutoffLen);
        this.template = template;
        this.tokenizer = tokenizer;
        this.cutoffLen = cutoffLen;
        this.stopIds = resolveStop();
    }

    public Example encode(String id, String domain, Conversation conversation) {
        List<int[][]> turns = renderTurns(conversation);
        IntSeq inputs = new IntSeq();
        IntSeq labels = new IntSeq();
        int total = 0;
        for (int[][] turn : turns) {
            if (total >= cutoffLen) break;
            int[] source = turn[0];
            int[] target = turn[1];
            int[] lengths = truncatedLengths(source.length, target.length, cutoffLen - total);
            inputs.addAll(source, lengths[0]);
            labels.fill(Example.IGNORE_INDEX, lengths[0]);
            inputs.addAll(target, lengths[1]);
            labels.addAll(target, lengths[1]);
            total += lengths[0] + lengths[1];
        }
        return new Example(id, domain, inputs.toArray(), labels.toArray());
    }

    /** (source ids, target ids) per prompt/response pair; the first source carries prefix and system prompt. */
    List<int[][]> renderTurns(Conversation c) {
        String system = c.system() != null && !c.system().isEmpty() ? c.system() : template.defaultSystem();
        if (c.tools() != null && !c.tools().isBlank()) {
            String toolText = "You have access to the following tools:\n" + c.tools();
            system = system == null || system.isEmpty() ? toolText : system + "\n\n" + toolText;
        }
        List<Message> messages = c.messages();
        List<int[][]> turns = new ArrayList<>(messages.size() / 2);
        for (int i = 0; i + 1 < messages.size(); i += 2) {
            Message prompt = messages.get(i);
            Message response = messages.get(i + 1);
            IntSeq source = new IntSeq();
            String promptContent = prompt.content();
            if (i == 0) {
                render(template.prefix(), null, source);
                if (system != null && !system.isEmpty()) {
                    if (template.systemInsideFirstUser()) {
                        promptContent = renderText(template.system(), system) + promptContent;
                    } else {
                        render(template.system(), system, source);
                    }
                }
            } else {
                render(template.separator(), null, source);
            }
            render(prompt.role() == Role.OBSERVATION ? template.observation() : template.user(), promptContent, source);
            IntSeq target = new IntSeq();
            render(template.assistant(), response.content(), target);
            turns.add(new int[][] {source.toArray(), target.toArray()});
        }
        return turns;
    }

    /** LLaMA-Factory's budget split between a turn's source and target. */
    static int[] truncatedLengths(int sourceLen, int targetLen, int budget) {
        int maxTarget;
        if (targetLen * 2 < budget) {
            maxTarget = budget;
        } else if (sourceLen * 2 < budget) {
            maxTarget = budget - sourceLen;
        } else {
            maxTarget = (int) (budget * ((double) targetLen / (sourceLen + targetLen)));
        }
        int newTarget = Math.min(maxTarget, targetLen);
        int newSource = Math.min(Math.max(budget - newTarget, 0), sourceLen);
        return new int[] {newSource, newTarget};
    }

    private void render(List<ChatTemplate.Part> parts, String content, IntSeq out) {
        for (ChatTemplate.Part part : parts) {
            switch (part.kind()) {
                case LITERAL -> out.addAll(literal(part.literal()));
                case CONTENT -> out.addAll(tokenizer.encode(content == null ? "" : content));
                case STOP -> out.addAll(stopIds);
                case EOS -> out.add(tokenizer.eosId());
                case BOS -> { } // our tokenizers (GPT-2 and trained vocabularies) have no bos token
            }
        }
    }

    private static String renderText(List<ChatTemplate.Part> parts, String content) {
        StringBuilder sb = new StringBuilder();
        for (ChatTemplate.Part part : parts) {
            if (part.kind() == ChatTemplate.Kind.LITERAL) sb.append(part.literal());
            else if (part.kind() == ChatTemplate.Kind.CONTENT) sb.append(content);
        }
        return sb.toString();
    }

    /** Template text: markers the tokenizer knows become special ids, everything else is plain text. */
    private int[] literal(String text) {
        return literalCache.computeIfAbsent(text, this::encodeLiteral);
    }

    private int[] encodeLiteral(String text) {
        IntSeq out = new IntSeq();
        int pos = 0;
        while (pos < text.length()) {
            int best = -1;
            String bestMarker = null;
            for (String marker : template.markers()) {
                if (tokenizer.specialTokenId(marker).isEmpty()) continue;
                int at = text.indexOf(marker, pos);
                if (at >= 0 && (best < 0 || at < best)) {
                    best = at;
                    bestMarker = marker;
                }
            }
            if (best < 0) {
                out.addAll(tokenizer.encode(text.substring(pos)));
                break;
            }
            if (best > pos) out.addAll(tokenizer.encode(text.substring(pos, best)));
            out.add(tokenizer.specialTokenId(bestMarker).getAsInt());
            pos = best + bestMarker.length();
        }
        return out.toArray();
    }

    /** The stop marker as a special id; if the vocabulary lacks it, its text followed by eos so generation can stop. */
    private int[] resolveStop() {
        String marker = template.stopMarker();
        if (marker == null) return new int[] {tokenizer.eosId()};
        OptionalInt special = tokenizer.specialTokenId(marker);
        if (special.isPresent()) return new int[] {special.getAsInt()};
        int[] text = tokenizer.encode(marker);
        int[] ids = java.util.Arrays.copyOf(text, text.length + 1);
        ids[text.length] = tokenizer.eosId();
        return ids;
    }
}
