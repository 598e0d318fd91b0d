package org.dataflex.driver.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** What a model or tokenizer reference in a config must look like on disk. */
final class ModelFiles {
    static final String PRESET_PREFIX = "preset:";
    static final String GPT2_TOKENIZER = "gpt2";
    /** GPT-2's encoding under its tiktoken name; the datasets module accepts both spellings. */
    static final String R50K_TOKENIZER = "r50k_base";
    /** The datasets module's tokenizer layout: this file names the rank file and the special tokens. */
    static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    static final String MODEL_CONFIG = "config.json";
    static final String MODEL_WEIGHTS = "model.safetensors";

    private ModelFiles() {
    }

    static boolean isPreset(String reference) {
        return reference.startsWith(PRESET_PREFIX);
    }

    /** Paths with a URI scheme (hdfs://, s3a://) are checked when they are opened, not at config time. */
    static boolean isRemote(String reference) {
        return reference.contains("://");
    }

    static boolean isBuiltInTokenizer(String reference) {
        return reference.equals(GPT2_TOKENIZER) || reference.equals(R50K_TOKENIZER);
    }

    /** A tokenizer directory as written by the BPE trainer and model saves: it has tokenizer_config.json. */
    static boolean hasTokenizerFiles(Path dir) {
        return Files.isRegularFile(dir.resolve(TOKENIZER_CONFIG));
    }
}
