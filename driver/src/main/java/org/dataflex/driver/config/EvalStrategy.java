package org.dataflex.driver.config;

/** When to evaluate on {@code eval_dataset} ({@code eval_strategy}), as in Hugging Face's Trainer. */
enum EvalStrategy implements ConfigEnum {
    NO("no"),
    STEPS("steps"),
    EPOCH("epoch");

    private final String configName;

    EvalStrategy(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
