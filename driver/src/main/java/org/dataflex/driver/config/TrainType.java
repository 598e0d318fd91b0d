package org.dataflex.driver.config;

/** The DataFlex trainer ({@code train_type}); {@code static_full} in older configs means {@link #STATIC}. */
public enum TrainType implements ConfigEnum {
    STATIC("static", null),
    DYNAMIC_SELECT("dynamic_select", ComponentKind.SELECTOR),
    DYNAMIC_MIX("dynamic_mix", ComponentKind.MIXER),
    DYNAMIC_WEIGHT("dynamic_weight", ComponentKind.WEIGHTER);

    private final String configName;
    private final ComponentKind componentKind;

    TrainType(String configName, ComponentKind componentKind) {
        this.configName = configName;
        this.componentKind = componentKind;
    }

    @Override
    public String configName() {
        return configName;
    }

    /** The kind of component this trainer builds from {@code component_name}, or null for the static trainer. */
    public ComponentKind componentKind() {
        return componentKind;
    }

    public boolean isDynamic() {
        return componentKind != null;
    }
}
