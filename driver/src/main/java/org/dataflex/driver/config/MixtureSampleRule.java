package org.dataflex.driver.config;

/** How the mix trainer turns proportions into per-source sample counts ({@code mixture_sample_rule}). */
enum MixtureSampleRule implements ConfigEnum {
    /** Follow {@code init_mixture_proportions}, then the mixer's output. */
    MIXTURE("mixture"),
    /** Proportional to source sizes; mixer output is ignored. */
    STRATIFIED("stratified"),
    /** Equal shares; mixer output is ignored. */
    UNIFORM("uniform");

    private final String configName;

    MixtureSampleRule(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
