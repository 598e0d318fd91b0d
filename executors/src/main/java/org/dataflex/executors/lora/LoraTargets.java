package org.dataflex.executors.lora;

import org.dataflex.executors.model.ModelConfig;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Resolves LoRA target names to the GPT-2 Conv1D modules they adapt. */
public final class LoraTargets {
    /** The Conv1D modules of one GPT-2 block, relative to {@code h.<i>.}. */
    public static final List<String> BLOCK_MODULES =
            List.of("attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj");

    private LoraTargets() {}

    /** Module paths such as {@code h.0.attn.c_attn}, in model order. */
    public static List<String> resolve(ModelConfig config, List<String> targets) {
        Set<String> relative = new LinkedHashSet<>();
        for (String target : targets) {
            String t = target.trim();
            if (t.equals("all")) {
                relative.addAll(BLOCK_MODULES);
                continue;
            }
            boolean matched = false;
            for (String m : BLOCK_MODULES) {
                if (m.equals(t) || m.endsWith("." + t)) {
                    relative.add(m);
                    matched = true;
                }
            }
            if (!matched) {
                throw new IllegalArgumentException("lora_target '" + t + "' matches no GPT-2 module; use 'all' or any of "
                        + "c_attn, c_proj, c_fc, attn.c_attn, attn.c_proj, mlp.c_fc, mlp.c_proj");
            }
        }
        List<String> modules = new ArrayList<>();
        for (int i = 0; i < config.nLayer(); i++) {
            for (String m : BLOCK_MODULES) {
                if (relative.contains(m)) modules.add("h." + i + "." + m);
            }
        }
        return modules;
    }

    /**
     * PEFT {@code target_modules} for the adapted modules: short names (c_attn, c_proj, c_fc) where that is
     * unambiguous; {@code attn.c_proj} or {@code mlp.c_proj} when only one of the two projections is adapted
     * (PEFT matches targets as name suffixes, so a bare c_proj would select both).
     */
    public static List<String> peftTargetNames(List<String> modules) {
        Set<String> relative = new LinkedHashSet<>();
        for (String m : modules) relative.add(m.substring(m.indexOf('.', 2) + 1));
        Set<String> names = new LinkedHashSet<>();
        boolean bothProjections = relative.contains("attn.c_proj") && relative.contains("mlp.c_proj");
        for (String r : relative) {
            String shortName = r.substring(r.lastIndexOf('.') + 1);
            names.add(shortName.equals("c_proj") && !bothProjections ? r : shortName);
        }
        return List.copyOf(names);
    }

    /** Input and output width of a Conv1D module. */
    public static int[] inOut(ModelConfig c, String module) {
        int d = c.nEmbd();
        if (module.endsWith("attn.c_attn")) return new int[] {d, 3 * d};
        if (module.endsWith("attn.c_proj")) return new int[] {d, d};
        if (module.endsWith("mlp.c_fc")) return new int[] {d, 4 * d};
        if (module.endsWith("mlp.c_proj")) return new int[] {4 * d, d};
        throw new IllegalArgumentException("not a Conv1D module: " + module);
    }
}
