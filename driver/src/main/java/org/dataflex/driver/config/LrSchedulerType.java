package org.dataflex.driver.config;

/** Learning-rate schedules ({@code lr_scheduler_type}) with Hugging Face's names and shapes. */
enum LrSchedulerType implements ConfigEnum {
    LINEAR("linear"),
    COSINE("cosine"),
    COSINE_WITH_RESTARTS("cosine_with_restarts"),
    POLYNOMIAL("polynomial"),
    CONSTANT("constant"),
    CONSTANT_WITH_WARMUP("constant_with_warmup"),
    INVERSE_SQRT("inverse_sqrt");

    private final String configName;

    LrSchedulerType(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
