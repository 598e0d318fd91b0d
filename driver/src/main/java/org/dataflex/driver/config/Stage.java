package org.dataflex.driver.config;

/** Training stage ({@code stage}): pre-training on plain text or supervised fine-tuning on prompt/response pairs. */
enum Stage implements ConfigEnum {
    PT("pt"),
    SFT("sft");

    private final String configName;

    Stage(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
