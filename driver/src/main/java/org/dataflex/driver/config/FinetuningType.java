package org.dataflex.driver.config;

/** Which parameters train ({@code finetuning_type}): all of them, or LoRA adapters on frozen weights. */
enum FinetuningType implements ConfigEnum {
    FULL("full"),
    LORA("lora");

    private final String configName;

    FinetuningType(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
